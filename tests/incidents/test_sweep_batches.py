"""The sweeps act in chunks: a constant number of statements however many meldingen are
due, and a crash in the middle of a chunk leaves nothing half done."""

import threading
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
from weerbaar.constants import Position, Role
from weerbaar.models import AuditEvent, Notification
from weerbaar.notifications import Message, notify_batch

from ..factories import make_user
from .factories import make_melding

pytestmark = pytest.mark.django_db


@pytest.fixture
def raadslid_b(gemeente_b):
    return make_user(Role.OFFICE_HOLDER, gemeente_b, Position.RAADSLID)


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


def test_notify_batch_deduplicates_per_person_in_two_statements(griffier_a, griffier_b):
    message = Message(
        [griffier_a, griffier_b, griffier_a.pk],
        kind="test",
        subject="Onderwerp",
        body="Tekst",
        dedupe_key="k1",
    )
    with CaptureQueriesContext(connection) as ctx:
        assert len(notify_batch([message, message])) == 2
    assert sum(not q["sql"].startswith(("SAVEPOINT", "RELEASE")) for q in ctx.captured_queries) == 2
    assert notify_batch([message]) == []
    assert Notification.objects.filter(dedupe_key__startswith="k1:").count() == 2


@pytest.mark.django_db(transaction=True)
def test_notify_batch_keeps_the_other_rows_when_it_loses_a_race(griffier_a, griffier_b):
    """Another writer (its own connection, committed) queues one of the keys between the
    check and the insert."""

    def write_and_commit():
        try:
            Notification.objects.create(
                recipient=griffier_a,
                kind="test",
                subject="Eerder",
                body="Eerder",
                dedupe_key=f"k2:u{griffier_a.pk}",
                next_attempt_at=timezone.now(),
            )
        finally:
            connection.close()

    def other_writer(execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "weerbaar_notification"') and not other_writer.done:
            other_writer.done = True
            thread = threading.Thread(target=write_and_commit)
            thread.start()
            thread.join()
        return execute(sql, params, many, context)

    other_writer.done = False
    message = Message([griffier_a, griffier_b], kind="test", subject="S", body="B", dedupe_key="k2")
    with connection.execute_wrapper(other_writer):
        rows = notify_batch([message])
    assert [row.recipient_id for row in rows] == [griffier_b.pk]
    assert Notification.objects.get(dedupe_key=f"k2:u{griffier_a.pk}").subject == "Eerder"
    assert Notification.objects.filter(dedupe_key=f"k2:u{griffier_b.pk}").exists()
