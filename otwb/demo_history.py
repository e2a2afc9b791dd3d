"""The tour so far, for the demo (``manage.py seed_demo``; never in production): about half
of the gemeenten and provincies in every province have had their voorgesprek and their
session since the tour began, a few declined or were invited, so the coverage page and the
monitor draw the tour's reach month by month.

Written as rows, not through the services (they would mail every griffie and trainer).
No sweep acts on them: every session was held more than two weeks ago (the evaluation
requests ask only about the last two weeks; the reminders only about coming sessions),
no traject waits after its voorgesprek (the nudges) and none has follow-up agreements.
Each session has a day of its own, so no trainer is booked twice. Same seed, same tour;
nothing is added once the tour has a held session."""

import datetime as dt
import random

from django.utils import timezone

from weerbaar.constants import OrganisationKind
from weerbaar.demo import GRONINGEN, UTRECHT
from weerbaar.models import User

from .constants import SessionKind, SessionStatus, Theme, TrainerKind, TrajectStatus
from .models import Assignment, Session, Trainer, Traject, TrajectEvent, Voorgesprek
from .reminders import session_moments

__all__ = ["seed_history"]

SEED = 20261209
T = TrajectStatus
PATH = [
    T.NOT_APPROACHED,
    T.INVITED,
    T.CALLED,
    T.VOORGESPREK_PLANNED,
    T.VOORGESPREK_HELD,
    T.SESSION_PLANNED,
    T.SESSION_HELD,
    T.COMPLETED,
]
# (share, status) of the trajecten not yet approached; the rest stays as it is.
MIX = ((0.38, T.COMPLETED), (0.52, T.SESSION_HELD), (0.57, T.DECLINED), (0.64, T.INVITED))
# Sessions end at least this long ago (the evaluation requests look back two weeks).
QUIET = dt.timedelta(days=20)


def _local(day, hour):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def _workdays(first, last):
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _plan(trajecten, tour, now, rng):
    """[(traject, status, session day or None)], sessions on distinct working days."""
    chosen = []
    for traject in trajecten:
        r = rng.random()
        status = next((s for share, s in MIX if r < share), None)
        if status is not None:
            chosen.append((traject, status))
    held = [c for c in chosen if c[1] in (T.COMPLETED, T.SESSION_HELD)]
    first = tour.starts_on + dt.timedelta(days=75)
    days = sorted(rng.sample(_workdays(first, (now - QUIET).date()), len(held)))
    order = rng.sample(range(len(held)), len(held))
    day_of = {held[k][0].pk: days[n] for n, k in enumerate(order)}
    return [(t, s, day_of.get(t.pk)) for t, s in chosen]


def _traject_rows(traject, status, day, tour, coordinator, rng):
    """Set the traject's milestones; returns its events and voorgesprek (unsaved)."""
    start = _local(tour.starts_on, 9)
    if day is not None:
        session_at = _local(day, 19)
        talk_at = max(session_at - dt.timedelta(days=rng.randint(20, 60), hours=8), start)
        invited_at = max(talk_at - dt.timedelta(days=rng.randint(14, 40)), start)
    else:
        invited_at = start + (timezone.now() - QUIET - start) * rng.random()
        talk_at = session_at = None
    traject.invitation_channel, traject.invited_at = "letter", invited_at
    reached = PATH.index(status) if status in PATH else PATH.index(T.INVITED)
    times = {
        T.INVITED: invited_at,
        T.CALLED: invited_at + dt.timedelta(days=7),
        T.VOORGESPREK_PLANNED: invited_at + dt.timedelta(days=8),
        T.VOORGESPREK_HELD: talk_at,
        T.SESSION_PLANNED: talk_at and talk_at + dt.timedelta(days=1),
        T.SESSION_HELD: session_at and session_at + dt.timedelta(hours=3),
        T.COMPLETED: session_at and session_at + dt.timedelta(days=30),
    }
    events = [
        TrajectEvent(
            traject=traject,
            at=times[PATH[k]],
            actor=coordinator,
            from_status=PATH[k - 1],
            to_status=PATH[k],
        )
        for k in range(1, reached + 1)
    ]
    if status == T.DECLINED:
        events.append(
            TrajectEvent(
                traject=traject,
                at=invited_at + dt.timedelta(days=10),
                actor=coordinator,
                from_status=T.INVITED,
                to_status=T.DECLINED,
                note="Eigen programma met de griffie.",
            )
        )
        traject.declined_reason = "Eigen programma met de griffie."
    traject.status = status
    traject.status_changed_at = events[-1].at
    talk = None
    if talk_at is not None:
        traject.voorgesprek_held_at, traject.session_held_at = talk_at, times[T.SESSION_HELD]
        talk = Voorgesprek(
            traject=traject,
            planned_at=times[T.VOORGESPREK_PLANNED],
            held_at=talk_at,
            themes=rng.sample(Theme.values, 2),
            notes="Demo-voorgesprek.",
        )
    return events, talk


def _session(traject, day, tour, now):
    org = traject.organisation
    council = org.kind == OrganisationKind.GEMEENTE
    session = Session(
        tour=tour,
        kind=SessionKind.COUNCIL,
        title=f"{'Raadsbrede' if council else 'Statenbrede'} sessie {org.name}",
        starts_at=_local(day, 19),
        ends_at=_local(day, 22),
        place=f"{'Raadzaal' if council else 'Statenzaal'} {org.name}",
        status=SessionStatus.HELD,
        created_at=_local(day, 10) - dt.timedelta(days=21),
    )
    # Written with bulk_create, past ``Session.save``: the evaluation sweep's moment.
    session.reminder_at, session.evaluation_request_at = session_moments(session, now=now)
    return session


def seed_history(tour, *, now=None):
    """Add the tour's history to ``tour`` (the demo tour) unless it has a held session;
    returns how many sessions were added."""
    if Session.objects.filter(tour=tour, status=SessionStatus.HELD).exists():
        return 0
    now = now or timezone.now()
    rng = random.Random(SEED)  # noqa: S311 (reproducible demo data, not a secret)
    coordinator = User.objects.filter(email="coordinator@otwb.demo").first()
    trajecten = list(
        Traject.objects.filter(tour=tour, status=T.NOT_APPROACHED)
        .exclude(organisation__code__in=[UTRECHT, GRONINGEN])
        .select_related("organisation")
        .order_by("organisation__code")
    )
    plan = _plan(trajecten, tour, now, rng)
    events, talks, sessions = [], [], []
    for traject, status, day in plan:
        e, talk = _traject_rows(traject, status, day, tour, coordinator, rng)
        events += e
        if talk is not None:
            talks.append(talk)
            sessions.append((_session(traject, day, tour, now), traject))
    trainers = list(
        Trainer.objects.filter(kind=TrainerKind.VERTROUWENSPERSOON, is_active=True).order_by("pk")
    )
    fields = [
        Traject._meta.get_field("status_changed_at"),
        TrajectEvent._meta.get_field("at"),
        Session._meta.get_field("created_at"),
        Assignment._meta.get_field("created_at"),
    ]
    for field in fields:
        field.auto_now_add = False
    try:
        # Written anew (same keys, nothing points to them yet) rather than updated: an
        # update of a few hundred rows with different values is a CASE per field and row,
        # slower than all the rest together.
        changed = [t for t, _s, _d in plan]
        Traject.objects.filter(pk__in=[t.pk for t in changed]).delete()
        Traject.objects.bulk_create(changed)
        TrajectEvent.objects.bulk_create(events)
        Voorgesprek.objects.bulk_create(talks)
        Session.objects.bulk_create([s for s, _t in sessions])
        Session.organisations.through.objects.bulk_create(
            Session.organisations.through(session_id=s.pk, organisation_id=t.organisation_id)
            for s, t in sessions
        )
        Assignment.objects.bulk_create(
            Assignment(
                session=s,
                trainer=trainer,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                created_at=s.created_at,
            )
            for n, (s, _t) in enumerate(sessions)
            for trainer in (trainers[n % len(trainers)], trainers[(n + 1) % len(trainers)])
            if len(trainers) > 1
        )
    finally:
        for field in fields:
            field.auto_now_add = True
    return len(sessions)
