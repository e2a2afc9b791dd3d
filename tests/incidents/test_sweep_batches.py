"""The sweeps act in chunks: a constant number of statements however many meldingen are
due, and a crash in the middle of a chunk leaves nothing half done."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents import services
from incidents.constants import Category, Status
from incidents.models import JobRecord, Melding, TimelineEntry
from incidents.services import sweeps
from incidents.services.sweeps import escalate_due, remind_idle
from weerbaar.models import AuditEvent, Notification

from .factories import make_melding

pytestmark = pytest.mark.django_db


def _due_meldingen(reporters, n):
    return [
        make_melding(reporters[i % len(reporters)], categories=[Category.THREAT]) for i in range(n)
    ]


def _escalation_queries(reporters, n):
    start = timezone.now()
    meldingen = _due_meldingen(reporters, n)
    with (
        time_machine.travel(start + timedelta(days=3), tick=False),
        CaptureQueriesContext(connection) as ctx,
    ):
        assert escalate_due() == n
    Melding.objects.filter(pk__in=[m.pk for m in meldingen]).delete()
    return len(ctx)


def test_escalation_statements_do_not_grow_with_the_number_due(
    raadslid_a, raadslid_b, griffier_a, griffier_b
):
    few = _escalation_queries([raadslid_a, raadslid_b], 2)
    many = _escalation_queries([raadslid_a, raadslid_b], 8)
    assert few == many
    assert (
        Notification.objects.filter(recipient=griffier_a, kind="incidents.escalation.1").count()
        == 5
    )
    assert (
        Notification.objects.filter(recipient=griffier_b, kind="incidents.escalation.1").count()
        == 5
    )


def test_chunks_are_cut_and_each_melding_is_reminded_once(raadslid_a, griffier_a, monkeypatch):
    monkeypatch.setattr(sweeps, "CHUNK", 2)
    meldingen = [
        services.transition(make_melding(raadslid_a), Status.IN_TRIAGE, actor=griffier_a)
        for _ in range(5)
    ]
    with time_machine.travel(timezone.now() + timedelta(days=15), tick=False):
        assert remind_idle() == 5
        assert remind_idle() == 0
    for melding in meldingen:
        assert JobRecord.objects.filter(melding=melding, kind="idle").count() == 1
        assert TimelineEntry.objects.filter(melding=melding, kind="reminder").count() == 1
        assert (
            AuditEvent.objects.filter(
                object_type="incidents.melding", object_id=str(melding.pk), detail__job="idle"
            ).count()
            == 1
        )
    assert (
        Notification.objects.filter(recipient=griffier_a, kind="incidents.reminder.idle").count()
        == 5
    )


class FailOnce:
    """Fail the first INSERT into a table, as a crash or a lost connection would."""

    def __init__(self, table):
        self.table = table
        self.failed = False

    def __call__(self, execute, sql, params, many, context):
        if not self.failed and sql.startswith(f'INSERT INTO "{self.table}"'):
            self.failed = True
            raise ConnectionError("simulated crash")
        return execute(sql, params, many, context)


def test_a_crash_in_a_chunk_leaves_nothing_half_done(raadslid_a, griffier_a):
    start = timezone.now()
    meldingen = _due_meldingen([raadslid_a], 3)
    with time_machine.travel(start + timedelta(days=3), tick=False):
        with (
            connection.execute_wrapper(FailOnce("weerbaar_notification")),
            pytest.raises(ConnectionError),
        ):
            escalate_due()
        for melding in Melding.objects.filter(pk__in=[m.pk for m in meldingen]):
            assert melding.escalation_level == 0
        assert not JobRecord.objects.filter(melding__in=meldingen).exists()
        assert not TimelineEntry.objects.filter(melding__in=meldingen, kind="reminder").exists()
        assert escalate_due() == 3
        assert escalate_due() == 0
    assert (
        Notification.objects.filter(recipient=griffier_a, kind="incidents.escalation.1").count()
        == 3
    )
