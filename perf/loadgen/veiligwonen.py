"""Veilig Wonen applications in every state, with advice, measures, scan findings, timeline
and audit rows: 10 000 at scale 1 over three years. Recent applications are early in the
process (the queue), older ones mostly completed."""

from datetime import timedelta

from veiligwonen import scoring, timeline_texts, workflow
from veiligwonen.constants import (
    CLOSED,
    DEFAULT_SLA_WORKING_DAYS,
    ISSUED,
    Domain,
    MeasureStatus,
    Status,
    TimelineKind,
)
from veiligwonen.models import (
    Advice,
    Application,
    Measure,
    MeasureType,
    ScanFinding,
    StaffProfile,
    TimelineEntry,
)
from veiligwonen.reminders import refresh
from veiligwonen.workflow import PATH
from weerbaar.constants import AuditAction, Role
from weerbaar.models import AuditEvent
from weerbaar.workdays import add_working_days

from .bulk import insert
from .common import batched, historic_timestamps, row_rng
from .text import paragraph

__all__ = ["seed_applications"]

BASE = 10_000
S = Status
BY_AGE = (
    (
        20,
        (
            (0.4, S.SUBMITTED),
            (0.7, S.INTAKE_PLANNED),
            (0.8, S.INTAKE_HELD),
            (0.9, S.SCAN_PLANNED),
            (0.95, S.NOT_ELIGIBLE),
        ),
    ),
    (
        60,
        (
            (0.05, S.SUBMITTED),
            (0.15, S.INTAKE_HELD),
            (0.25, S.SCAN_PLANNED),
            (0.35, S.SCAN_DONE),
            (0.5, S.ADVICE_DRAFT),
            (0.65, S.UNDER_REVIEW),
            (0.7, S.RETURNED),
            (0.85, S.ADVICE_ISSUED),
            (0.9, S.HANDED_OFF),
            (0.95, S.NOT_ELIGIBLE),
        ),
    ),
    (
        200,
        (
            (0.15, S.ADVICE_ISSUED),
            (0.5, S.MEASURES_IN_PROGRESS),
            (0.9, S.COMPLETED),
            (0.93, S.HANDED_OFF),
            (0.96, S.NOT_ELIGIBLE),
        ),
    ),
    (
        10**6,
        (
            (0.05, S.MEASURES_IN_PROGRESS),
            (0.9, S.COMPLETED),
            (0.93, S.HANDED_OFF),
            (0.96, S.NOT_ELIGIBLE),
        ),
    ),
)
REACHED = {S.RETURNED: PATH.index(S.UNDER_REVIEW), S.HANDED_OFF: PATH.index(S.INTAKE_HELD)}


def _status(rng, age):
    table = next(t for limit, t in BY_AGE if age < limit)
    r = rng.random()
    return next((s for p, s in table if r < p), S.WITHDRAWN)


def _reached(status):
    """How far along PATH a case in ``status`` got (-1: not past submission)."""
    if status in REACHED:
        return REACHED[status]
    return PATH.index(status) if status in PATH else 0


def _application(plan, people, i):
    rng = row_rng(plan.seed, "vw", i)
    uid, org_id, position = rng.choice(people.eligible_vw)
    age = 1100 * rng.random() ** 1.3
    submitted = plan.now - timedelta(days=age)
    status = _status(rng, age)
    flags = {
        "recent_threats": rng.random() < 0.4,
        "public_exposure": rng.random() < 0.3,
        "incidents_at_home": rng.random() < 0.2,
        "planned_move": rng.random() < 0.05,
    }
    app = Application(
        applicant_id=uid,
        organisation_id=org_id,
        position=position,
        filed_by_id=uid,
        home_address=f"Voorbeeldstraat {rng.randint(1, 300)}, {rng.randint(1000, 9999)} AB",
        household=paragraph(rng, 1, 1),
        phone=f"06-{rng.randrange(10**8):08d}",
        urgency_notes=paragraph(rng, 1, 2),
        urgency_class=scoring.proposed_class(**flags),
        status=status,
        submitted_at=submitted,
        **flags,
    )
    days = DEFAULT_SLA_WORKING_DAYS[app.urgency_class]
    app.sla_due_at = add_working_days(submitted, days)
    app.sla_warn_at = add_working_days(submitted, max(days - 1, 0))
    reached = _reached(status)
    step = timedelta(days=max(age, 1) / (len(PATH) + 2))
    intake = people.national[Role.VW_INTAKE]
    advisers = people.national[Role.SECURITY_ADVISER]
    if reached >= 1 or status in CLOSED:
        app.intake_officer_id = rng.choice(intake)
        app.claimed_at = submitted + step / 2
    if reached >= 1:
        app.adviser_id = rng.choice(advisers)
        app.intake_planned_for = submitted + step
    if reached >= 2:
        app.intake_held_at = submitted + step * 1.2
        app.intake_findings = paragraph(rng, 1, 3)
    if reached >= 3:
        app.scan_planned_for = submitted + step * 3
    if reached >= 4:
        app.scan_done_at = submitted + step * 4
    if reached >= 7:
        app.advice_issued_at = submitted + step * 7
    if status in CLOSED:
        app.closed_at = min(submitted + step * 10, plan.now - timedelta(hours=1))
        app.decision_reason = "" if status == S.COMPLETED else "Zie toelichting"
        if status == S.HANDED_OFF:
            app.handoff_note = paragraph(rng, 1, 1)
    else:
        app.score = scoring.score(app, plan.now)
        app.scored_at = plan.now
    return app, reached, step, rng


# The first action that leads to a state: the timeline line of reaching it.
ACTION_TO = {t.target: name for name, t in reversed(workflow.ACTIONS.items())}


def _reaching_line(status):
    return timeline_texts.line("status", a=ACTION_TO[status])


def _children(plan, people, app, reached, step, rng, rows, catalogue):
    pk, at = app.pk, app.submitted_at
    actor = app.intake_officer_id

    def line(when, kind, text, who, to_status=""):
        rows["timeline"].append(
            TimelineEntry(
                application_id=pk,
                at=when,
                actor_id=who,
                kind=kind,
                code=text.code,
                params=text.params,
                to_status=to_status,
            )
        )
        rows["audit"].append(
            AuditEvent(
                actor_id=who,
                action=AuditAction.TRANSITION if to_status else AuditAction.UPDATE,
                object_type="veiligwonen.application",
                object_id=str(pk),
                organisation_id=app.organisation_id,
                created_at=when,
            )
        )

    line(at, TimelineKind.STATUS, timeline_texts.line("submitted"), app.applicant_id, S.SUBMITTED)
    for n, status in enumerate(PATH[1 : reached + 1], start=1):
        who = actor if n == 1 else app.adviser_id
        line(at + step * n, TimelineKind.STATUS, _reaching_line(status), who, status)
    if app.status in CLOSED and app.status != S.COMPLETED:
        line(app.closed_at, TimelineKind.STATUS, _reaching_line(app.status), actor, app.status)
    if reached >= 4:
        domains = rng.sample(Domain.values, rng.randint(2, 4))
        rows["findings"] += [
            ScanFinding(application_id=pk, domain=d, findings=paragraph(rng, 1, 2)) for d in domains
        ]
    if reached >= 5:
        advice = Advice(
            application_id=pk,
            author_id=app.adviser_id,
            summary=paragraph(rng, 2, 4),
            submitted_at=at + step * 6 if reached >= 6 else None,
        )
        if reached >= 7:
            advice.reviewer_id = rng.choice(people.national[Role.BVA])
            advice.reviewed_at = at + step * 7
        rows["advice"].append((advice, rng))


def _measures(app_status, advice, rng, catalogue, rows):
    for mt in rng.sample(catalogue, min(len(catalogue), rng.randint(3, 6))):
        status = MeasureStatus.PLANNED
        if app_status == S.COMPLETED or (
            app_status == S.MEASURES_IN_PROGRESS and rng.random() < 0.5
        ):
            status = MeasureStatus.DONE if rng.random() < 0.9 else MeasureStatus.DECLINED
        rows["measures"].append(
            Measure(
                advice_id=advice.pk,
                measure_type=mt,
                domain=mt.domain,
                category=mt.category,
                responsible_party=mt.responsible_party,
                estimated_cost=mt.estimated_cost,
                priority=mt.priority,
                notes=paragraph(rng, 1, 1),
                status=status,
                decline_reason="Niet nodig na verhuizing"
                if status == MeasureStatus.DECLINED
                else "",
                actual_cost=mt.estimated_cost if status == MeasureStatus.DONE else None,
                completed_on=(
                    advice.reviewed_at.date() if status != MeasureStatus.PLANNED else None
                ),
            )
        )


def _staff_profiles(people):
    intake = people.national[Role.VW_INTAKE]
    existing = set(
        StaffProfile.objects.filter(user_id__in=intake).values_list("user_id", flat=True)
    )
    StaffProfile.objects.bulk_create(
        [
            StaffProfile(user_id=uid, is_team_lead=n == 0)
            for n, uid in enumerate(intake)
            if uid not in existing
        ]
    )


def seed_applications(plan, people):
    _staff_profiles(people)
    catalogue = list(MeasureType.objects.filter(is_active=True))
    fields = [
        TimelineEntry._meta.get_field("at"),
        AuditEvent._meta.get_field("created_at"),
    ]

    def make(start, stop):
        made = [_application(plan, people, i) for i in range(start, stop)]
        insert(Application, [a for a, *_ in made])
        rows = {k: [] for k in ("timeline", "audit", "findings", "advice", "measures")}
        for app, reached, step, rng in made:
            _children(plan, people, app, reached, step, rng, rows, catalogue)
        insert(Advice, [a for a, _ in rows["advice"]])
        status_of = {app.pk: app.status for app, *_ in made}
        for advice, rng in rows["advice"]:
            if status_of[advice.application_id] in ISSUED:
                _measures(status_of[advice.application_id], advice, rng, catalogue, rows)
        for model, key in (
            (TimelineEntry, "timeline"),
            (AuditEvent, "audit"),
            (ScanFinding, "findings"),
            (Measure, "measures"),
        ):
            insert(model, rows[key])
        # Written without the services: the next measure reminder from the rows' state.
        refresh(Application.objects.filter(pk__in=[app.pk for app, *_ in made]))

    with historic_timestamps(*fields):
        return batched(plan, "vw_application", plan.count(BASE), make)
