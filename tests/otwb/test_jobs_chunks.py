"""The sweeps act in chunks, one transaction each: exactly once whatever the chunking, a
crash loses nothing, and the statements per chunk do not grow with it."""

import datetime as dt

import pytest
import time_machine

from otwb import jobs, services
from otwb.constants import SweepKind
from otwb.models import SweepRecord, Traject
from weerbaar.models import Notification

from ..crashes import crash_on_call
from ..factories import UserFactory
from .factories import SessionFactory, TrainerFactory, at

pytestmark = pytest.mark.django_db
DAY_BEFORE = at(2027, 3, 9, 20)
SIX_DAYS_BEFORE = at(2027, 3, 4, 8)


def _sessions(n, coordinator, org):
    """``n`` sessions on 10 March 2027 for ``org``, each with a trainer of its own."""
    sessions = []
    for i in range(n):
        session = SessionFactory(starts_at=at(2027, 3, 10, 8 + 3 * (i % 5)))
        session.organisations.set([org])
        services.assign_trainer(session, TrainerFactory(user=UserFactory()), actor=coordinator)
        sessions.append(session)
    return sessions


def _reminders(session):
    return Notification.objects.filter(
        kind__startswith="otwb.reminder", link=f"/otwb/sessies/{session.pk}/"
    )


def test_every_session_is_reminded_once_chunk_by_chunk(
    coordinator, griffier_a, gemeente_a, monkeypatch
):
    monkeypatch.setattr(jobs, "CHUNK", 2)
    sessions = _sessions(5, coordinator, gemeente_a)
    with time_machine.travel(DAY_BEFORE, tick=False):
        assert jobs.sweep_session_reminders() == 10  # the 7-day and the 1-day reminder
        assert jobs.sweep_session_reminders() == 0
    for session in sessions:
        trainer = session.assignments.get().trainer.user
        assert sorted(_reminders(session).values_list("recipient", "kind")) == sorted(
            (person.pk, f"otwb.{kind}")
            for person in (griffier_a, trainer)
            for kind in (SweepKind.REMINDER_7D, SweepKind.REMINDER_1D)
        )


def test_a_crash_mid_sweep_loses_nothing_and_the_next_run_completes_it_once(
    coordinator, griffier_a, gemeente_a, monkeypatch
):
    monkeypatch.setattr(jobs, "CHUNK", 2)
    sessions = _sessions(5, coordinator, gemeente_a)
    real = crash_on_call(monkeypatch, jobs, "notify_batch", 2)  # the second chunk
    records = SweepRecord.objects.filter(kind=SweepKind.REMINDER_7D)
    with time_machine.travel(SIX_DAYS_BEFORE, tick=False):
        with pytest.raises(ConnectionError):
            jobs.sweep_session_reminders()
        # The first chunk is there whole; of the second nothing, not even its claims.
        assert sorted(records.values_list("object_id", flat=True)) == [
            sessions[0].pk,
            sessions[1].pk,
        ]
        assert [_reminders(s).count() for s in sessions] == [2, 2, 0, 0, 0]

        monkeypatch.setattr(jobs, "notify_batch", real)
        assert jobs.sweep_session_reminders() == 3
        assert jobs.sweep_session_reminders() == 0
    assert records.count() == 5
    assert [_reminders(s).count() for s in sessions] == [2] * 5


# The sweep runner's record of the run (started, succeeded) and its read of the open
# failures (once per run); the read of the index (once per run: with nothing due it is
# the only read); per kind: what is due of the sessions it found, not done before (the
# 1-day one finds nothing); for the 7-day chunk: savepoint, claim, griffiers, registrants, trainers,
# the people named on the driehoeken (their accounts are looked up only when there are
# any), the sessions' start times (the reminders' dedupe keys name the moment), the
# outbox (existing keys, savepoint, insert, release), the sessions' next moment, release;
# after the chunks, the found sessions still at or before the run set again (none here).
RUNNER_QUERIES = 2 + 1
REMINDER_QUERIES = RUNNER_QUERIES + 1 + 2 + 1 + 1 + 2 + 1 + 1 + 1 + 4 + 1 + 1 + 1


@pytest.mark.parametrize("n", [1, 5])
def test_reminder_statements_do_not_grow_with_the_sessions_in_a_chunk(
    coordinator, gemeente_a, griffier_a, n, django_assert_num_queries
):
    _sessions(n, coordinator, gemeente_a)
    with (
        time_machine.travel(SIX_DAYS_BEFORE, tick=False),
        django_assert_num_queries(REMINDER_QUERIES),
    ):
        assert jobs.sweep_session_reminders() == n


@pytest.mark.parametrize("n", [1, 3])
def test_overdue_agreements_read_the_coordinators_once_per_run(
    tour, gemeente_a, coordinator, n, django_assert_num_queries
):
    services.create_trajecten(tour)
    traject = Traject.objects.get(tour=tour, organisation=gemeente_a)
    Traject.objects.filter(pk=traject.pk).update(status="session_held")
    for i in range(n):
        services.add_agreement(
            traject,
            description=f"Afspraak {i}",
            owner="Griffie",
            due_on=dt.date(2027, 5, 1),
            actor=coordinator,
        )
    # What is due; savepoint, claim, the agreements' trajecten, the coordinators, the
    # outbox (4), their column cleared, release; the column set again for any not due.
    with (
        time_machine.travel(at(2027, 5, 2, 9), tick=False),
        django_assert_num_queries(RUNNER_QUERIES + 1 + 1 + 1 + 1 + 1 + 4 + 1 + 1 + 1),
    ):
        assert jobs.sweep_overdue_agreements() == n
    flagged = Notification.objects.filter(kind="otwb.agreement_overdue")
    assert {(f.recipient, f.link) for f in flagged} == {
        (coordinator, f"/otwb/trajecten/{traject.pk}/")
    }
    assert flagged.count() == n
