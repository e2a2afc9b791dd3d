"""Acknowledgement deadlines and the escalation ladder under frozen time."""

import threading
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from incidents import services
from incidents.constants import Category, Severity, Status
from incidents.deadlines import ack_deadline
from incidents.models import JobRecord, Melding, TimelineEntry
from incidents.services.sweeps import escalate_due
from weerbaar.models import Notification
from weerbaar.workdays import is_working_day

from .factories import make_melding

TZ = ZoneInfo("Europe/Amsterdam")


def _next_working_monday():
    """A Monday at 10:00 after today whose Monday and Tuesday are working days, so the
    fixtures' memberships (valid from yesterday) are in force at the frozen times."""
    day = date.today() + timedelta(days=1)
    while day.weekday() != 0 or not (is_working_day(day) and is_working_day(day + ONE_DAY)):
        day += ONE_DAY
    return datetime.combine(day, time(10), TZ)


ONE_DAY = timedelta(days=1)
MONDAY_10 = _next_working_monday()


def monday(hour, minute=0, *, days=0):
    return MONDAY_10.replace(hour=hour, minute=minute) + timedelta(days=days)


def at(*args):
    return datetime(*args, tzinfo=TZ)


def escalation_notes(user):
    return Notification.objects.filter(recipient=user, kind__startswith="incidents.escalation")


@pytest.mark.parametrize(
    ("severity", "start", "expected"),
    [
        (Severity.ACUTE, at(2026, 12, 5, 23, 30), at(2026, 12, 6, 0, 30)),  # nights count
        (Severity.HIGH, at(2026, 11, 30, 15, 0), at(2026, 12, 1, 11, 0)),
        (Severity.MEDIUM, at(2026, 12, 24, 15, 0), at(2026, 12, 28, 15, 0)),  # Christmas
        (Severity.LOW, at(2026, 12, 4, 12, 0), at(2026, 12, 8, 12, 0)),  # weekend skipped
    ],
)
def test_ack_deadline_by_severity_in_working_time(severity, start, expected):
    assert ack_deadline(severity, start) == expected


@pytest.mark.django_db
def test_escalation_path_reminder_voorzitter_otwb_each_once(
    raadslid_a, griffier_a, voorzitter_a, vertrouwenspersoon
):
    with time_machine.travel(MONDAY_10, tick=False):
        melding = make_melding(raadslid_a, categories=[Category.THREAT])  # high: 4 work hours
    assert melding.ack_deadline == monday(14)

    with time_machine.travel(monday(13, 59), tick=False):
        assert escalate_due() == 0
    with time_machine.travel(monday(14, 1), tick=False):
        assert escalate_due() == 1
        assert escalate_due() == 0
    assert escalation_notes(griffier_a).count() == 1
    assert escalation_notes(voorzitter_a).count() == 0
    assert not Melding.objects.visible_to(voorzitter_a).filter(pk=melding.pk).exists()

    with time_machine.travel(monday(10, 2, days=1), tick=False):
        assert escalate_due() == 1
        assert escalate_due() == 0
    assert escalation_notes(voorzitter_a).count() == 1
    assert Melding.objects.visible_to(voorzitter_a).filter(pk=melding.pk).exists()
    assert not Melding.objects.visible_to(vertrouwenspersoon).filter(pk=melding.pk).exists()

    with time_machine.travel(monday(14, 3, days=1), tick=False):
        assert escalate_due() == 1
    with time_machine.travel(monday(9, days=10), tick=False):
        assert escalate_due() == 0  # no level beyond the OTWB
    assert escalation_notes(vertrouwenspersoon).count() == 1
    assert Melding.objects.visible_to(vertrouwenspersoon).filter(pk=melding.pk).exists()
    assert list(
        JobRecord.objects.filter(melding=melding).order_by("level").values_list("level", flat=True)
    ) == [1, 2, 3]
    assert (
        TimelineEntry.objects.filter(
            melding=melding, kind__in=["reminder", "escalation"], internal=False
        ).count()
        == 3
    )


@pytest.mark.django_db
def test_acknowledging_stops_the_ladder(raadslid_a, griffier_a):
    with time_machine.travel(MONDAY_10, tick=False):
        melding = make_melding(raadslid_a, categories=[Category.THREAT])
        services.transition(melding, Status.IN_TRIAGE, actor=griffier_a)
    with time_machine.travel(monday(10, days=3), tick=False):
        assert escalate_due() == 0


@pytest.mark.django_db
def test_civil_servant_is_not_escalated_to_otwb(
    ambtenaar_a, secretaris_a, voorzitter_a, vertrouwenspersoon
):
    with time_machine.travel(MONDAY_10, tick=False):
        melding = make_melding(ambtenaar_a, categories=[Category.PHYSICAL])  # acute: 1 hour
    for hour in (11, 12, 13, 14, 15):
        with time_machine.travel(monday(hour, 1), tick=False):
            escalate_due()
    assert Melding.objects.get(pk=melding.pk).escalation_level == 2
    assert escalation_notes(voorzitter_a).count() == 1
    assert escalation_notes(vertrouwenspersoon).count() == 0


@pytest.mark.django_db
def test_confidential_melding_is_never_escalated_to_own_organisation(
    raadslid_a, voorzitter_a, vertrouwenspersoon
):
    with time_machine.travel(MONDAY_10, tick=False):
        melding = make_melding(raadslid_a, confidential=True, categories=[Category.PHYSICAL])
    for hour in (11, 12, 13, 14):
        with time_machine.travel(monday(hour, 1), tick=False):
            escalate_due()
    assert Melding.objects.get(pk=melding.pk).escalation_level == 1
    assert escalation_notes(vertrouwenspersoon).count() == 1
    assert not Melding.objects.visible_to(voorzitter_a).filter(pk=melding.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_act_once_per_level(raadslid_a, griffier_a, voorzitter_a):
    with time_machine.travel(MONDAY_10, tick=False):
        melding = make_melding(raadslid_a, categories=[Category.THREAT])
    barrier = threading.Barrier(2)
    results = []

    def sweep(now):
        try:
            barrier.wait()
            results.append(escalate_due(now=now))
        finally:
            connection.close()

    for now in (monday(14, 1), monday(10, 2, days=1)):
        threads = [threading.Thread(target=sweep, args=(now,)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(results) == [0, 0, 1, 1]
    assert JobRecord.objects.filter(melding=melding).count() == 2
    assert escalation_notes(griffier_a).count() == 1
    assert escalation_notes(voorzitter_a).count() == 1
