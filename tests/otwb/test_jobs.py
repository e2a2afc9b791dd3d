import datetime as dt

import pytest
import time_machine

from otwb import jobs, services
from otwb.constants import SessionKind, SessionStatus, SweepKind
from otwb.models import SweepRecord, Traject
from weerbaar.models import Notification

from ..factories import UserFactory
from .factories import SessionFactory, TrainerFactory, at
from .threads import run_in_threads


def _session_with_people(coordinator, griffier, org, **kwargs):
    trainer = TrainerFactory(user=UserFactory())
    session = SessionFactory(starts_at=at(2027, 3, 10, 19), **kwargs)
    session.organisations.set([org])
    services.assign_trainer(session, trainer, actor=coordinator)
    return session, trainer


@pytest.mark.django_db
def test_reminders_go_out_7_days_and_1_day_before_once_each(coordinator, griffier_a, gemeente_a):
    _session, trainer = _session_with_people(coordinator, griffier_a, gemeente_a)
    reminders = Notification.objects.filter(kind__startswith="otwb.reminder")

    with time_machine.travel(at(2027, 3, 2, 18), tick=False):  # 8 days before
        assert jobs.sweep_session_reminders() == 0
    with time_machine.travel(at(2027, 3, 3, 20), tick=False):  # 6 days 23 h before
        assert jobs.sweep_session_reminders() == 1
        assert jobs.sweep_session_reminders() == 0
    assert set(reminders.values_list("recipient", flat=True)) == {griffier_a.pk, trainer.user_id}
    with time_machine.travel(at(2027, 3, 9, 20), tick=False):
        assert jobs.sweep_session_reminders() == 1
    assert reminders.count() == 4
    assert reminders.filter(kind="otwb.reminder_1d").count() == 2


@pytest.mark.django_db
def test_cancelled_session_gets_no_reminder(coordinator, griffier_a, gemeente_a):
    session, _ = _session_with_people(coordinator, griffier_a, gemeente_a)
    services.transition_session(
        session, SessionStatus.CANCELLED, actor=coordinator, reason="Zaal niet beschikbaar"
    )
    with time_machine.travel(at(2027, 3, 9, 20), tick=False):
        assert jobs.sweep_session_reminders() == 0


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_send_each_reminder_exactly_once(coordinator, griffier_a, gemeente_a):
    first, _ = _session_with_people(coordinator, griffier_a, gemeente_a)
    for hour in (9, 10):
        SessionFactory(tour=first.tour, starts_at=at(2027, 3, 10, hour)).organisations.set(
            [gemeente_a]
        )
    with time_machine.travel(at(2027, 3, 9, 20), tick=False):
        results = run_in_threads([jobs.sweep_session_reminders, jobs.sweep_session_reminders])
    assert not [r for r in results if isinstance(r, Exception)], results
    # 3 sessions × 2 kinds (both due at once) = 6 actions, split between the two workers.
    assert sum(results) == 6
    assert SweepRecord.objects.count() == 6
    per_griffier = Notification.objects.filter(
        recipient=griffier_a, kind__startswith="otwb.reminder"
    )
    assert per_griffier.count() == 6


@pytest.mark.django_db
def test_coordinator_is_nudged_six_weeks_after_voorgesprek_without_session(
    tour, gemeente_a, coordinator
):
    services.create_trajecten(tour)
    traject = Traject.objects.get(tour=tour, organisation=gemeente_a)
    with time_machine.travel(at(2027, 1, 5, 10), tick=False):
        voorgesprek = services.plan_voorgesprek(
            traject, planned_at=at(2027, 1, 5, 10), actor=coordinator
        )
        services.record_voorgesprek(
            voorgesprek, held_at=at(2027, 1, 5, 11), themes=[], notes="", actor=coordinator
        )
    with time_machine.travel(at(2027, 2, 15, 10), tick=False):  # 5 weeks 6 days
        assert jobs.sweep_no_session_nudges() == 0
    with time_machine.travel(at(2027, 2, 16, 12), tick=False):
        assert jobs.sweep_no_session_nudges() == 1
        assert jobs.sweep_no_session_nudges() == 0
    nudge = Notification.objects.get(kind="otwb.no_session_nudge")
    assert nudge.recipient == coordinator
    assert nudge.link == f"/otwb/trajecten/{traject.pk}/"


@pytest.mark.django_db
def test_overdue_agreement_is_flagged_once(tour, gemeente_a, coordinator):
    services.create_trajecten(tour)
    traject = Traject.objects.get(tour=tour, organisation=gemeente_a)
    Traject.objects.filter(pk=traject.pk).update(status="session_held")
    agreement = services.add_agreement(
        traject,
        description="Protocol",
        owner="Griffie",
        due_on=dt.date(2027, 5, 1),
        actor=coordinator,
    )
    with time_machine.travel(at(2027, 5, 1, 12), tick=False):
        assert jobs.sweep_overdue_agreements() == 0
    with time_machine.travel(at(2027, 5, 2, 9), tick=False):
        assert jobs.sweep_overdue_agreements() == 1
        assert jobs.sweep_overdue_agreements() == 0
    services.complete_agreement(agreement, actor=coordinator)
    assert SweepRecord.objects.filter(kind=SweepKind.AGREEMENT_OVERDUE).count() == 1


@pytest.mark.django_db
def test_evaluation_is_requested_the_day_after_a_held_session(coordinator, griffier_a, gemeente_a):
    session, _ = _session_with_people(coordinator, griffier_a, gemeente_a, kind=SessionKind.COUNCIL)
    services.transition_session(session, SessionStatus.CONFIRMED, actor=coordinator)
    services.transition_session(
        session, SessionStatus.HELD, actor=coordinator, now=at(2027, 3, 10, 23)
    )
    with time_machine.travel(at(2027, 3, 10, 23, 30), tick=False):
        assert jobs.sweep_evaluation_requests() == 0
    with time_machine.travel(at(2027, 3, 11, 9), tick=False):
        assert jobs.sweep_evaluation_requests() == 1
        assert jobs.sweep_evaluation_requests() == 0
    request = Notification.objects.get(kind="otwb.evaluation_request")
    assert request.recipient == griffier_a
    assert request.link == f"/otwb/sessies/{session.pk}/evaluatie/"
