"""Every OTWB sweep survives one bad object among healthy due ones (see
``tests/sweep_failures.py`` for what is checked)."""

import datetime as dt

import pytest
import time_machine

from otwb import jobs, services
from otwb.constants import SessionStatus, SweepKind, TrajectStatus
from otwb.models import FollowUpAgreement, Session, SweepRecord, Traject
from weerbaar.constants import Role
from weerbaar.models import Notification

from ..factories import UserFactory, make_user
from ..sweep_failures import BadCase, check_survives_one_bad_case, refused_row
from .factories import SessionFactory, TrainerFactory, at

pytestmark = pytest.mark.django_db


def _case(sweep, model, run, kind, ids):
    def acted(pk):
        return SweepRecord.objects.filter(
            object_type=model._meta.model_name, object_id=pk, kind=kind
        ).count()

    return BadCase(
        sweep=sweep,
        model=model,
        run=run,
        acted=acted,
        healthy=[ids[0], ids[2]],
        bad=ids[1],
        breaking=lambda: refused_row(SweepRecord, "object_id", ids[1]),
    )


def _sessions(coordinator, org):
    sessions = []
    for hour in (8, 11, 14):
        session = SessionFactory(starts_at=at(2027, 3, 10, hour))
        session.organisations.set([org])
        services.assign_trainer(session, TrainerFactory(user=UserFactory()), actor=coordinator)
        sessions.append(session)
    return sessions


def reminders(coordinator, org, tour):
    ids = [s.pk for s in _sessions(coordinator, org)]
    return at(2027, 3, 4, 8), _case(
        "otwb-session-reminders",
        Session,
        jobs.sweep_session_reminders,
        SweepKind.REMINDER_7D,
        ids,
    )


def evaluations(coordinator, org, tour):
    sessions = _sessions(coordinator, org)
    for session in sessions:
        services.transition_session(session, SessionStatus.CONFIRMED, actor=coordinator)
        services.transition_session(
            session, SessionStatus.HELD, actor=coordinator, now=at(2027, 3, 10, 23)
        )
    return at(2027, 3, 11, 9), _case(
        "otwb-evaluation-requests",
        Session,
        jobs.sweep_evaluation_requests,
        SweepKind.EVALUATION_REQUEST,
        [s.pk for s in sessions],
    )


def _trajecten(tour, status):
    services.create_trajecten(tour)
    ids = list(Traject.objects.filter(tour=tour).order_by("pk").values_list("pk", flat=True)[:3])
    Traject.objects.filter(pk__in=ids).update(status=status, status_changed_at=at(2027, 1, 5))
    return ids


def nudges(coordinator, org, tour):
    ids = _trajecten(tour, TrajectStatus.VOORGESPREK_HELD)
    return at(2027, 3, 1, 10), _case(
        "otwb-no-session-nudges",
        Traject,
        jobs.sweep_no_session_nudges,
        SweepKind.NO_SESSION_NUDGE,
        ids,
    )


def agreements(coordinator, org, tour):
    ids = [
        services.add_agreement(
            Traject.objects.get(pk=pk),
            description="Protocol",
            owner="Griffie",
            due_on=dt.date(2027, 5, 1),
            actor=coordinator,
        ).pk
        for pk in _trajecten(tour, TrajectStatus.SESSION_HELD)
    ]
    return at(2027, 5, 2, 9), _case(
        "otwb-overdue-agreements",
        FollowUpAgreement,
        jobs.sweep_overdue_agreements,
        SweepKind.AGREEMENT_OVERDUE,
        ids,
    )


@pytest.mark.parametrize(
    "make", [reminders, evaluations, nudges, agreements], ids=lambda f: f.__name__
)
def test_sweep_acts_on_the_healthy_objects_and_holds_back_the_bad_one(
    make, coordinator, gemeente_a, tour, bzk
):
    beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, bzk)
    when, case = make(coordinator, gemeente_a, tour)
    check_survives_one_bad_case(case, at=when, beheerder=beheerder)


def test_a_moved_session_is_reminded_again_before_its_new_moment(coordinator, gemeente_a):
    """The reminders are about a moment: after a move the old claims would keep the new
    moment from ever being reminded."""
    session = _sessions(coordinator, gemeente_a)[0]
    reminded = SweepRecord.objects.filter(object_id=session.pk, kind=SweepKind.REMINDER_7D)
    with time_machine.travel(at(2027, 3, 4, 8), tick=False):
        assert jobs.sweep_session_reminders() == 3
    services.reschedule_session(
        session, starts_at=at(2027, 3, 24, 10), ends_at=at(2027, 3, 24, 13), actor=coordinator
    )
    assert not reminded.exists()
    with time_machine.travel(at(2027, 3, 18, 10), tick=False):
        assert jobs.sweep_session_reminders() == 1
        assert jobs.sweep_session_reminders() == 0
    assert reminded.count() == 1
    moved = Notification.objects.filter(kind="otwb.reminder_7d", link__endswith=f"/{session.pk}/")
    assert moved.count() == 2 * moved.values("recipient").distinct().count()


def test_a_traject_waiting_for_a_session_again_is_nudged_again(coordinator, tour, gemeente_a):
    services.create_trajecten(tour)
    traject = Traject.objects.get(tour=tour, organisation=gemeente_a)
    with time_machine.travel(at(2027, 1, 5, 10), tick=False):
        voorgesprek = services.plan_voorgesprek(
            traject, planned_at=at(2027, 1, 5, 10), actor=coordinator
        )
        services.record_voorgesprek(
            voorgesprek, held_at=at(2027, 1, 5, 11), themes=[], notes="", actor=coordinator
        )
    with time_machine.travel(at(2027, 3, 1, 10), tick=False):
        assert jobs.sweep_no_session_nudges() == 1
        services.transition_traject(traject, TrajectStatus.SESSION_PLANNED, actor=coordinator)
        # The session is cancelled: the traject waits for one again.
        services.transition_traject(traject, TrajectStatus.VOORGESPREK_HELD, actor=coordinator)
    with time_machine.travel(at(2027, 5, 1, 10), tick=False):
        assert jobs.sweep_no_session_nudges() == 1
        assert jobs.sweep_no_session_nudges() == 0
    nudges = Notification.objects.filter(
        kind="otwb.no_session_nudge", recipient=coordinator, link__endswith=f"/{traject.pk}/"
    )
    assert nudges.count() == 2
