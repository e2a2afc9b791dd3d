"""A year of Veilig Wonen applications for the demo (``manage.py seed_demo``; never in
production), so the monitor has figures to publish: every month, in every urgency class,
from the made-up office holders of ``weerbaar.demo_people``; recent ones somewhere between
the intake and the review, older ones completed with executed measures, a few not eligible
or handed off.

Written as rows, not through the services (they would notify the intake team of every
one). No sweep acts on them: each had its intake (the intake deadline sweep reads only
applications waiting for one), none waits with planned measures after its advice (the
measure reminders), and none is older than the retention period. Same seed, same
applications; nothing is added once the made-up applicants have applications."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from weerbaar import search
from weerbaar.demo import UTRECHT
from weerbaar.demo_people import DOMAIN
from weerbaar.models import User
from weerbaar.workdays import add_working_days

from . import scoring
from .constants import (
    DEFAULT_SLA_WORKING_DAYS,
    ELIGIBLE_POSITIONS,
    Domain,
    MeasureStatus,
    Status,
    TimelineKind,
    UrgencyClass,
)
from .models import Advice, Application, Measure, MeasureType, ScanFinding, TimelineEntry
from .reminders import refresh
from .search import KIND
from .workflow import PATH

__all__ = ["seed_history"]

SEED = 20261208
MONTHS = 12
PER_MONTH = {UTRECHT: 2, "elsewhere": 6}
# The flags that give each class (``scoring.proposed_class``), taken in turn.
FLAGS = {
    UrgencyClass.SPOED: {"recent_threats": True, "incidents_at_home": True},
    UrgencyClass.HOOG: {"public_exposure": True},
    UrgencyClass.NORMAAL: {"planned_move": True},
}
INTAKE_DAYS = {
    UrgencyClass.SPOED: (0.5, 2),
    UrgencyClass.HOOG: (2, 6),
    UrgencyClass.NORMAAL: (4, 18),
}
S = Status
# Where an application of this many days stands: (days, [(share, status)]).
BY_AGE = (
    (12, ((0.6, S.INTAKE_HELD), (1.0, S.SCAN_PLANNED))),
    (45, ((0.35, S.SCAN_DONE), (0.65, S.ADVICE_DRAFT), (1.0, S.UNDER_REVIEW))),
    (10**6, ((0.8, S.COMPLETED), (0.9, S.NOT_ELIGIBLE), (1.0, S.HANDED_OFF))),
)
MEASURES = ("pkvw", "deuren-sloten-ramen", "vindbaarheidscheck")


def _status(age_days, rng):
    table = next(t for limit, t in BY_AGE if age_days < limit)
    r = rng.random()
    return next(s for share, s in table if r < share)


def _plan(people, now, rng):
    """[(person, submitted_at)]: each month's applicants, Utrecht's and the others' in turn."""
    eligible = [p for p in people if p.position in ELIGIBLE_POSITIONS]
    utrecht = [p for p in eligible if p.organisation.code == UTRECHT]
    others = [p for p in eligible if p.organisation.code != UTRECHT]
    rng.shuffle(others)
    planned, turns = [], {"utrecht": 0, "others": 0}
    latest = now - timedelta(days=1)
    start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for _month in range(MONTHS):
        end = min((start + timedelta(days=32)).replace(day=1), latest)
        for key, pool, n in (
            ("utrecht", utrecht, PER_MONTH[UTRECHT]),
            ("others", others, PER_MONTH["elsewhere"]),
        ):
            for _k in range(n if end > start and pool else 0):
                planned.append((pool[turns[key] % len(pool)], start + (end - start) * rng.random()))
                turns[key] += 1
        start = (start - timedelta(days=1)).replace(day=1)
    planned.sort(key=lambda p: p[1])
    return planned


def _application(person, submitted, i, rng, staff, now):
    urgency = list(FLAGS)[i % len(FLAGS)]
    age = (now - submitted).total_seconds() / 86400
    status = _status(age, rng)
    app = Application(
        applicant_id=person.user_id,
        organisation=person.organisation,
        position=person.position,
        filed_by_id=person.user_id,
        home_address=f"Demostraat {rng.randint(1, 200)}, Demodorp",
        household="Partner",
        urgency_class=urgency,
        status=status,
        submitted_at=submitted,
        intake_officer_id=staff["intake"],
        adviser_id=staff["adviser"],
        **FLAGS[urgency],
    )
    days = DEFAULT_SLA_WORKING_DAYS[urgency]
    app.sla_due_at = add_working_days(submitted, days)
    app.sla_warn_at = add_working_days(submitted, max(days - 1, 0))
    low, high = INTAKE_DAYS[urgency]
    intake = timedelta(days=min(rng.uniform(low, high), age / 3))
    app.claimed_at = submitted + intake / 3
    app.intake_planned_for = app.intake_held_at = submitted + intake
    app.intake_findings = "Demo-intake."
    reached = PATH.index(status) if status in PATH else PATH.index(S.INTAKE_HELD)
    span = (now - app.intake_held_at) * 0.9
    if status == S.SCAN_PLANNED:
        # On a working day in the coming weeks, at the hour of the intake.
        app.scan_planned_for = add_working_days(now, 3 + i % 10)
    elif reached >= PATH.index(S.SCAN_DONE):
        app.scan_planned_for = app.scan_done_at = app.intake_held_at + span * 0.2
    if status == S.COMPLETED:
        app.advice_issued_at = app.intake_held_at + span * 0.5
        app.closed_at = app.intake_held_at + span * 0.9
    elif status not in PATH:
        app.closed_at = app.intake_held_at + timedelta(days=3)
        app.decision_reason = "Zie toelichting"
        if status == S.HANDED_OFF:
            app.handoff_note = "Overgedragen aan het Stelsel Bewaken en Beveiligen."
    else:
        app.score = scoring.score(app, now)
        app.scored_at = now
    return app, reached


def _timeline(app, reached, staff):
    """The status lines up to where the application got (and its closing, if not done)."""
    steps = [(app.submitted_at, S.SUBMITTED, app.applicant_id)]
    times = {
        S.INTAKE_PLANNED: app.claimed_at,
        S.INTAKE_HELD: app.intake_held_at,
        S.SCAN_PLANNED: app.intake_held_at + timedelta(hours=1),
        S.SCAN_DONE: app.scan_done_at,
        S.ADVICE_DRAFT: app.scan_done_at,
        S.UNDER_REVIEW: app.scan_done_at,
        S.ADVICE_ISSUED: app.advice_issued_at,
        S.MEASURES_IN_PROGRESS: app.advice_issued_at,
        S.COMPLETED: app.closed_at,
    }
    for status in PATH[1 : reached + 1]:
        actor = staff["bva"] if status == S.ADVICE_ISSUED else staff["adviser"]
        steps.append((times[status] + timedelta(minutes=len(steps)), status, actor))
    if app.status not in PATH:
        steps.append((app.closed_at, app.status, staff["intake"]))
    entries, previous = [], ""
    for at, status, actor in steps:
        entries.append(
            TimelineEntry(
                application_id=app.pk,
                at=at,
                actor_id=actor,
                kind=TimelineKind.STATUS,
                message=str(S(status).label),
                from_status=previous,
                to_status=status,
            )
        )
        previous = status
    return entries


def _advice(app, reached, staff, catalogue, now):
    """The advice (from the draft on), and for a completed one its executed measures."""
    if reached < PATH.index(S.ADVICE_DRAFT):
        return None, []
    advice = Advice(
        application_id=app.pk,
        author_id=staff["adviser"],
        summary="Versterk de toegangen en beperk de vindbaarheid.",
        submitted_at=app.scan_done_at if reached >= PATH.index(S.UNDER_REVIEW) else None,
    )
    if app.status != S.COMPLETED:
        return advice, []
    advice.reviewer_id = staff["bva"]
    advice.reviewed_at = app.advice_issued_at
    done = (app.advice_issued_at + (app.closed_at - app.advice_issued_at) * 0.8).date()
    measures = [
        Measure(
            measure_type=mt,
            domain=mt.domain,
            category=mt.category,
            responsible_party=mt.responsible_party,
            estimated_cost=mt.estimated_cost,
            priority=mt.priority,
            status=MeasureStatus.DONE,
            actual_cost=(mt.estimated_cost or Decimal(0)),
            completed_on=min(done, now.date()),
        )
        for mt in catalogue
    ]
    return advice, measures


def seed_history(people, *, now=None):
    """Add the year of applications of ``people`` (``weerbaar.demo_people``) unless they
    have applications already; returns how many were added."""
    if Application.objects.filter(applicant__email__endswith=f"@{DOMAIN}").exists():
        return 0
    now = now or timezone.now()
    rng = random.Random(SEED)  # noqa: S311 (reproducible demo data, not a secret)
    emails = {"intake": "intake@bzk.demo", "adviser": "adviseur@ccv.demo", "bva": "bva@bzk.demo"}
    ids = dict(User.objects.filter(email__in=emails.values()).values_list("email", "pk"))
    staff = {key: ids.get(email) for key, email in emails.items()}
    catalogue = list(MeasureType.objects.filter(code__in=MEASURES).order_by("code"))
    made = [
        _application(person, at, i, rng, staff, now)
        for i, (person, at) in enumerate(_plan(people, now, rng))
    ]
    Application.objects.bulk_create([app for app, _r in made])
    timeline, findings, advices = [], [], []
    for app, reached in made:
        timeline += _timeline(app, reached, staff)
        if app.scan_done_at:
            findings.append(
                ScanFinding(
                    application_id=app.pk,
                    domain=Domain.WONEN,
                    findings="Achterdeur zonder goed slot.",
                )
            )
        advice, measures = _advice(app, reached, staff, catalogue, now)
        if advice is not None:
            advices.append((advice, measures))
    Advice.objects.bulk_create([a for a, _m in advices])
    for advice, measures in advices:
        for measure in measures:
            measure.advice_id = advice.pk
    at = TimelineEntry._meta.get_field("at")
    at.auto_now_add = False
    try:
        TimelineEntry.objects.bulk_create(timeline)
    finally:
        at.auto_now_add = True
    ScanFinding.objects.bulk_create(findings)
    Measure.objects.bulk_create([m for _a, ms in advices for m in ms])
    # Written without the services: when the sweeps next act, from the rows' state.
    refresh(Application.objects.filter(pk__in=[app.pk for app, _r in made]))
    # bulk_create sends no post_save: the queue's search finds them once indexed here.
    search.reindex(KIND, [app.pk for app, _r in made])
    return len(made)
