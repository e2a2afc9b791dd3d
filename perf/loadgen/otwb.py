"""The OTWB tour: two tours, a traject per gemeente and provincie in each, voorgesprekken,
agreements, a trainer pool with availability, and 5 000 sessions at scale 1 with trainers,
driehoek registrations and evaluations.

Session ``i`` takes calendar slot ``(i * 2027) mod 5003``: slots are distinct half-days
from mid-2022 on, and any prefix of sessions is spread over the whole period. Past 5 003
sessions (above scale 1) sessions ``i`` and ``i + 5003 k`` share a slot; their trainers
``2i`` and ``2i + 1`` (modulo the pool of 60 per scale unit) still differ, because the pool
is larger than twice the number of sessions in one slot, so a trainer is never booked twice
at one time (the database refuses that)."""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from otwb.constants import (
    RegistrationStatus,
    SessionKind,
    SessionStatus,
    Theme,
    TourKind,
    TrainerKind,
    TrainerOrigin,
    TrajectStatus,
)
from otwb.models import (
    Assignment,
    Evaluation,
    FollowUpAgreement,
    Registration,
    Session,
    Tour,
    Trainer,
    Traject,
    TrajectEvent,
    Voorgesprek,
    WeeklyAvailability,
)
from otwb.reminders import refresh, session_moments
from weerbaar.constants import OrganisationKind, Role

from .bulk import insert
from .common import EMAIL_DOMAIN, batched, historic_timestamps, row_rng
from .text import paragraph

__all__ = ["seed_tour"]

BASE_SESSIONS = 5_000
SLOTS, STRIDE = 5003, 2027
FIRST_DAY = date(2022, 6, 6)  # a Monday
# (start, end) of the three half-day slots; weekends only have the evening.
PERIODS = ((time(9, 0), time(12, 30)), (time(13, 30), time(17, 0)), (time(19, 0), time(22, 0)))
SLOTS_PER_WEEK = 5 * 3 + 2

T = TrajectStatus
ORDER = [
    T.NOT_APPROACHED,
    T.INVITED,
    T.CALLED,
    T.VOORGESPREK_PLANNED,
    T.VOORGESPREK_HELD,
    T.SESSION_PLANNED,
    T.SESSION_HELD,
    T.FOLLOW_UP,
    T.COMPLETED,
]
MAIN_MIX = (
    (0.55, T.COMPLETED),
    (0.7, T.FOLLOW_UP),
    (0.8, T.SESSION_HELD),
    (0.88, T.DECLINED),
    (0.92, T.VOORGESPREK_HELD),
    (0.95, T.INVITED),
    (0.97, T.CALLED),
)
FOLLOW_MIX = (
    (0.3, T.NOT_APPROACHED),
    (0.45, T.INVITED),
    (0.55, T.CALLED),
    (0.65, T.VOORGESPREK_PLANNED),
    (0.75, T.VOORGESPREK_HELD),
    (0.85, T.SESSION_PLANNED),
    (0.93, T.SESSION_HELD),
    (0.97, T.FOLLOW_UP),
    (0.99, T.COMPLETED),
)


def _aware(d, t):
    return timezone.make_aware(datetime.combine(d, t))


def slot_period(i):
    """(starts_at, ends_at) of session ``i``."""
    slot = (i * STRIDE) % SLOTS
    week, k = divmod(slot, SLOTS_PER_WEEK)
    if k < 15:
        day, period = divmod(k, 3)
    else:
        day, period = 5 + (k - 15), 2
    d = FIRST_DAY + timedelta(weeks=week, days=day)
    start, end = PERIODS[period]
    return _aware(d, start), _aware(d, end)


def trainer_pair(i, pool):
    """The two trainers (indexes into a pool of ``pool``) of session ``i``."""
    return (2 * i) % pool, (2 * i + 1) % pool


def _tours():
    main, _ = Tour.objects.get_or_create(
        name="Hoofdronde 2022–2025",
        defaults={
            "kind": TourKind.MAIN,
            "starts_on": date(2022, 6, 1),
            "ends_on": date(2025, 12, 31),
        },
    )
    follow, _ = Tour.objects.get_or_create(
        name="Vervolgronde 2026–2027",
        defaults={
            "kind": TourKind.FOLLOW_UP,
            "starts_on": date(2026, 1, 1),
            "ends_on": date(2027, 12, 31),
            "follows": main,
        },
    )
    return main, follow


def _trainers(plan, people):
    n = max(6, plan.count(60))
    accounts = people.national.get(Role.VERTROUWENSPERSOON, [])
    existing = set(
        Trainer.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").values_list("email", flat=True)
    )
    new = []
    for k in range(n):
        email = f"trainer{k + 1}@{EMAIL_DOMAIN}"
        if email in existing:
            continue
        rng = row_rng(plan.seed, "trainer", k)
        linked = accounts[k] if k < len(accounts) else None
        new.append(
            Trainer(
                name=f"Trainer {k + 1}",
                email=email,
                kind=TrainerKind.VERTROUWENSPERSOON if linked else TrainerKind.EXPERT,
                origin=rng.choice(TrainerOrigin.values),
                user_id=linked,
            )
        )
    Trainer.objects.bulk_create(new)
    WeeklyAvailability.objects.bulk_create(
        [
            WeeklyAvailability(trainer=t, weekday=d, start_time=time(8, 30), end_time=time(22, 30))
            for t in new
            for d in range(7)
        ]
    )
    return list(Trainer.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").order_by("pk"))


def _pick(rng, mix):
    r = rng.random()
    return next((s for p, s in mix if r < p), T.NOT_APPROACHED)


def _trajecten(plan, tours):
    orgs = [o for o in plan.organisations if o.kind != OrganisationKind.WATERSCHAP]
    have = set(Traject.objects.values_list("tour_id", "organisation_id"))
    rows, events, talks, agreements = [], [], [], []
    for tour, mix in zip(tours, (MAIN_MIX, FOLLOW_MIX), strict=True):
        start = _aware(tour.starts_on, time(10))
        span = min(plan.now, _aware(tour.ends_on, time(10))) - start
        for org in orgs:
            if (tour.pk, org.pk) in have:
                continue
            rng = row_rng(plan.seed, f"traject{tour.pk}", org.code)
            status = _pick(rng, mix)
            reached = ORDER.index(status) if status in ORDER else 2
            at = lambda k, rng=rng, start=start, span=span: (  # noqa: E731
                start + span * min(1.0, (k + rng.random()) / 10)
            )
            t = Traject(
                tour=tour,
                organisation=org,
                status=status,
                status_changed_at=at(reached),
                declined_reason="Geen behoefte" if status == T.DECLINED else "",
            )
            if reached >= 1:
                t.invitation_channel, t.invited_at = "letter", at(1)
            if reached >= 4:
                t.voorgesprek_held_at = at(4)
            if reached >= 6:
                t.session_held_at = at(6)
            rows.append((t, reached, at, rng))
    Traject.objects.bulk_create([t for t, *_ in rows])
    for t, reached, at, rng in rows:
        for k in range(1, reached + 1):
            events.append(
                TrajectEvent(traject=t, at=at(k), from_status=ORDER[k - 1], to_status=ORDER[k])
            )
        if reached >= 3:
            talks.append(
                Voorgesprek(
                    traject=t,
                    planned_at=at(3),
                    held_at=at(4) if reached >= 4 else None,
                    themes=rng.sample(Theme.values, 2),
                    notes=paragraph(rng, 1, 3),
                )
            )
        if reached >= 7:
            for n in range(rng.randint(2, 4)):
                due = (at(7) + timedelta(days=30 * (n + 1))).date()
                done = reached == 8 or due < plan.now.date() - timedelta(days=60)
                agreements.append(
                    FollowUpAgreement(
                        traject=t,
                        description="Protocol agressie en intimidatie vaststellen",
                        owner="Griffie",
                        due_on=due,
                        done_at=at(8) if done else None,
                    )
                )
    TrajectEvent.objects.bulk_create(events, batch_size=5000)
    Voorgesprek.objects.bulk_create(talks, batch_size=5000)
    FollowUpAgreement.objects.bulk_create(agreements, batch_size=5000)
    # Written without the services: the overdue sweep's day from the rows' state.
    refresh(FollowUpAgreement.objects.filter(done_at__isnull=True))
    return len(rows)


def _session(plan, people, tours, gemeenten, councils, trainers, i):
    rng = row_rng(plan.seed, "session", i)
    starts, ends = slot_period(i)
    r = rng.random()
    kind = (
        SessionKind.COUNCIL
        if r < 0.55
        else SessionKind.FOLLOW_UP
        if r < 0.8
        else SessionKind.DRIEHOEK
    )
    if starts < plan.now:
        status = SessionStatus.HELD if rng.random() < 0.92 else SessionStatus.CANCELLED
    else:
        status = SessionStatus.PLANNED if rng.random() < 0.6 else SessionStatus.CONFIRMED
    tour = tours[0] if starts.date() <= tours[0].ends_on else tours[1]
    orgs = (
        [rng.choice(councils)]
        if kind != SessionKind.DRIEHOEK
        else rng.sample(gemeenten, rng.randint(4, 8))
    )
    online = rng.random() < 0.2
    session = Session(
        tour=tour,
        kind=kind,
        starts_at=starts,
        ends_at=ends,
        status=status,
        title=f"{SessionKind(kind).label} {orgs[0].name}"
        if kind != SessionKind.DRIEHOEK
        else f"Driehoeksessie regio {orgs[0].province.name if orgs[0].province else orgs[0].name}",
        place="" if online else f"Raadzaal {orgs[0].name}",
        online_url=f"https://video.example/{i}" if online else "",
        created_at=starts - timedelta(days=60),
    )
    # Written with COPY, past ``Session.save``: the sweeps' next moments from the row.
    session.reminder_at, session.evaluation_request_at = session_moments(session, now=plan.now)
    return session, orgs, [trainers[k] for k in trainer_pair(i, len(trainers))], rng


def _session_children(plan, people, made, rows):
    for session, orgs, pair, rng in made:
        rows["m2m"] += [
            Session.organisations.through(session_id=session.pk, organisation_id=o.pk) for o in orgs
        ]
        rows["assign"] += [
            Assignment(
                session=session,
                trainer=t,
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                active=session.status != SessionStatus.CANCELLED,
                created_at=session.created_at,
            )
            for t in pair
        ]
        if session.kind == SessionKind.DRIEHOEK:
            for n, org in enumerate(orgs):
                griffier = people.by_role[Role.GRIFFIER].get(org.pk)
                if griffier is None:
                    continue
                rows["reg"].append(
                    Registration(
                        session=session,
                        organisation=org,
                        status=RegistrationStatus.CONFIRMED
                        if n < 6
                        else RegistrationStatus.WAITING,
                        burgemeester_name="B. Burgemeester",
                        burgemeester_email=f"bm@{EMAIL_DOMAIN}",
                        griffier_name="G. Griffier",
                        griffier_email=f"gr@{EMAIL_DOMAIN}",
                        secretaris_name="S. Secretaris",
                        secretaris_email=f"gs@{EMAIL_DOMAIN}",
                        registered_by_id=griffier,
                        created_at=session.created_at,
                    )
                )
        if session.status == SessionStatus.HELD:
            pool = people.reporters.get(orgs[0].pk, [])
            for uid, _role, _pos in rng.sample(pool, min(len(pool), rng.randint(0, 3))):
                rows["eval"].append(
                    Evaluation(
                        session=session,
                        respondent_id=uid,
                        overall=rng.randint(3, 5),
                        usefulness=rng.randint(2, 5),
                        trainers=rng.randint(3, 5),
                        comment=paragraph(rng, 1, 1) if rng.random() < 0.5 else "",
                        created_at=session.ends_at + timedelta(days=2),
                    )
                )


def seed_tour(plan, people):
    tours = _tours()
    with historic_timestamps(
        Traject._meta.get_field("status_changed_at"), TrajectEvent._meta.get_field("at")
    ):
        added = _trajecten(plan, tours)
    plan.log(f"  otwb trajecten: {added} new")
    trainers = _trainers(plan, people)
    gemeenten = [o for o in plan.organisations if o.kind == OrganisationKind.GEMEENTE]
    councils = [o for o in plan.organisations if o.kind != OrganisationKind.WATERSCHAP]
    random.Random(plan.seed).shuffle(councils)  # noqa: S311 (reproducible load data)

    def make(start, stop):
        made = [
            _session(plan, people, tours, gemeenten, councils, trainers, i)
            for i in range(start, stop)
        ]
        insert(Session, [s for s, *_ in made])
        rows = {k: [] for k in ("m2m", "assign", "reg", "eval")}
        _session_children(plan, people, made, rows)
        insert(Session.organisations.through, rows["m2m"])
        insert(Assignment, rows["assign"])
        insert(Registration, rows["reg"])
        insert(Evaluation, rows["eval"])

    target = plan.count(BASE_SESSIONS)
    fields = [
        Session._meta.get_field("created_at"),
        Assignment._meta.get_field("created_at"),
        Registration._meta.get_field("created_at"),
        Evaluation._meta.get_field("created_at"),
    ]
    with historic_timestamps(*fields):
        return batched(plan, "otwb_session", target, make)
