"""Meldingen with their categories, timeline, stappenplan, messages, aangiften and audit
rows: 100 000 meldingen at scale 1, over four years, skewed to the large organisations and
to recent months, in every status; most old cases are closed."""

import bisect
from datetime import timedelta

from incidents.constants import (
    AANGIFTE_ALWAYS,
    AangifteStatus,
    Category,
    Channel,
    HelpWanted,
    Perpetrator,
    Place,
    Route,
    Status,
    Step,
    TimelineKind,
)
from incidents.deadlines import ack_deadline
from incidents.models import (
    Aangifte,
    Melding,
    MeldingCategory,
    Message,
    StepCheck,
    TimelineEntry,
)
from incidents.reminders import refresh
from incidents.routing import decide
from weerbaar.constants import AuditAction, Role
from weerbaar.models import AuditEvent, Membership

from .bulk import insert
from .common import batched, historic_timestamps, row_rng
from .people import FIRST, LAST
from .text import paragraph

__all__ = ["seed_meldingen"]

BASE = 100_000
STEPS = list(Step)


def _status(rng, age_days):
    r = rng.random()
    if age_days < 3:
        return Status.SUBMITTED if r < 0.5 else Status.IN_TRIAGE
    if age_days < 30:
        table = ((0.3, Status.IN_TRIAGE), (0.7, Status.IN_FOLLOW_UP), (0.95, Status.CLOSED))
    elif age_days < 180:
        table = ((0.15, Status.IN_FOLLOW_UP), (0.93, Status.CLOSED))
    else:
        table = ((0.02, Status.IN_FOLLOW_UP), (0.95, Status.CLOSED))
    return next((s for p, s in table if r < p), Status.WITHDRAWN)


class _Picker:
    """Organisations with reporters, drawn by weight."""

    def __init__(self, plan, people):
        self.orgs = [o for o in plan.organisations if people.reporters.get(o.pk)]
        total, self.cum = 0.0, []
        for org in self.orgs:
            total += plan.weights[org.code]
            self.cum.append(total)
        self.total = total

    def __call__(self, rng):
        return self.orgs[bisect.bisect_left(self.cum, rng.random() * self.total)]


def _triager(people, route, org_id):
    if route == Route.CONFIDENTIAL:
        return None
    # Someone who triages the route (incidents.routing.ROUTE_ROLES): a burgemeester's
    # melding is the CdK's (voorzitter of the province).
    role = {Route.GRIFFIER: Role.GRIFFIER, Route.CHAIR: Role.VOORZITTER}.get(route, Role.SECRETARIS)
    return people.by_role[role].get(org_id)


def _perpetrator(plan, i, rng):
    """What a reporter writes about a known perpetrator: filler and an account handle (from
    its own random stream, so the other columns stay as they were before it existed)."""
    own = row_rng(plan.seed, "perpetrator", i)
    handle = f"{own.choice(FIRST)}_{own.choice(LAST)}{own.randint(1, 99)}".replace(" ", "")
    return f"{paragraph(rng, 1, 2)} Het account @{handle.lower()} stuurde de berichten."


def _melding(plan, people, pick, i):
    rng = row_rng(plan.seed, "melding", i)
    org = pick(rng)
    uid, role, position = rng.choice(people.reporters[org.pk])
    membership = Membership(user_id=uid, organisation=org, role=role, position=position)
    routing = decide(membership, confidential=rng.random() < 0.04)
    age = 1460 * rng.random() ** 1.6
    created = plan.now - timedelta(days=age)
    categories = rng.sample(Category.values, rng.choice((1, 1, 2, 2, 3)))
    is_draft = age < 60 and rng.random() < 0.02
    status = Status.DRAFT if is_draft else _status(rng, age)
    route_org_id = routing.organisation.pk if routing.organisation else None
    known = rng.random() < 0.45
    m = Melding(
        reporter_id=uid,
        filed_by_id=uid,
        organisation=org,
        reporter_role=role,
        reporter_position=position,
        confidential=routing.route == Route.CONFIDENTIAL,
        route=routing.route,
        route_organisation_id=route_org_id,
        otwb_involved=routing.otwb_involved,
        status=status,
        occurred_at=created - timedelta(hours=rng.uniform(0.5, 72)),
        place=rng.choice(Place.values),
        channel=rng.choice(Channel.values),
        description=paragraph(rng),
        perpetrator=Perpetrator.KNOWN if known else Perpetrator.UNKNOWN,
        perpetrator_details=_perpetrator(plan, i, rng) if known else "",
        family_involved=rng.random() < 0.15,
        witnesses=paragraph(rng, 1, 1) if rng.random() < 0.3 else "",
        help_wanted=rng.sample(HelpWanted.values, rng.randint(0, 2)),
        created_at=created,
        last_activity_at=created,
    )
    m.severity_proposal = Melding.propose_severity(categories)
    m.category_codes = Melding.codes_of(categories)
    if status != Status.DRAFT:
        m.submitted_at = created + timedelta(minutes=rng.uniform(2, 40))
        m.ack_deadline = ack_deadline(m.severity_proposal, m.submitted_at)
        m.last_activity_at = m.submitted_at
        if status == Status.SUBMITTED:
            m.next_escalation_at = m.ack_deadline
    if status not in (Status.DRAFT, Status.SUBMITTED, Status.WITHDRAWN):
        m.acknowledged_at = min(
            m.submitted_at + timedelta(hours=rng.uniform(0.3, 30)), plan.now - timedelta(minutes=5)
        )
        m.severity = m.severity_proposal
        m.assigned_to_id = _triager(people, routing.route, route_org_id)
        if m.assigned_to_id is None and people.national.get(Role.VERTROUWENSPERSOON):
            m.assigned_to_id = rng.choice(people.national[Role.VERTROUWENSPERSOON])
        m.last_activity_at = m.acknowledged_at + (plan.now - m.acknowledged_at) * rng.random()
    if status == Status.CLOSED:
        m.closed_at = min(
            m.acknowledged_at + timedelta(days=rng.uniform(3, 90)), plan.now - timedelta(hours=1)
        )
        m.last_activity_at = m.closed_at
    return m, categories, rng


def _children(plan, melding, categories, rng, rows):
    """Category rows, timeline, steps, messages, aangifte and audit for one melding."""
    pk, actor = melding.pk, melding.assigned_to_id
    rows["cat"] += [MeldingCategory(melding_id=pk, category=c) for c in categories]
    tl, audit = rows["timeline"], rows["audit"]

    def line(at, kind, summary, who, action=AuditAction.TRANSITION, internal=False):
        tl.append(
            TimelineEntry(
                melding_id=pk, at=at, actor_id=who, kind=kind, summary=summary, internal=internal
            )
        )
        audit.append(
            AuditEvent(
                actor_id=who,
                action=action,
                object_type="incidents.melding",
                object_id=str(pk),
                organisation_id=melding.route_organisation_id,
                created_at=at,
                detail={"kind": kind},
            )
        )

    line(
        melding.created_at,
        TimelineKind.STATUS,
        "Concept opgeslagen",
        melding.reporter_id,
        AuditAction.CREATE,
    )
    if melding.submitted_at:
        line(melding.submitted_at, TimelineKind.STATUS, "Verstuurd", melding.reporter_id)
    if melding.acknowledged_at:
        ack = melding.acknowledged_at
        line(ack, TimelineKind.STATUS, "In behandeling genomen", actor)
        for n in range(rng.randint(1, 2)):
            audit.append(
                AuditEvent(
                    actor_id=actor,
                    action=AuditAction.VIEW,
                    object_type="incidents.melding",
                    object_id=str(pk),
                    organisation_id=melding.route_organisation_id,
                    created_at=ack + timedelta(hours=n * 5),
                )
            )
        done = {Status.IN_TRIAGE: 1, Status.IN_FOLLOW_UP: rng.randint(2, 4)}.get(melding.status, 3)
        if actor:
            rows["steps"] += [
                StepCheck(melding_id=pk, step=s, done_by_id=actor, done_at=ack)
                for s in STEPS[:done]
            ]
        if melding.status in (Status.IN_FOLLOW_UP, Status.CLOSED):
            line(ack + timedelta(days=1), TimelineKind.STATUS, "In opvolging", actor)
        if rng.random() < 0.3:
            rows["messages"].append(
                Message(
                    melding_id=pk,
                    author_id=melding.reporter_id,
                    body=paragraph(rng, 1, 2),
                    created_at=ack + timedelta(hours=2),
                )
            )
        if AANGIFTE_ALWAYS & set(categories) and rng.random() < 0.6:
            age = (plan.now - ack).days
            status = (
                AangifteStatus.CLOSED
                if age > 180
                else AangifteStatus.OM_DECISION
                if age > 60
                else AangifteStatus.FILED
            )
            rows["aangifte"].append(
                Aangifte(
                    melding_id=pk,
                    filed_on=ack.date(),
                    police_unit="Eenheid Midden-Nederland",
                    registration_number=f"PL09{pk:08d}",
                    vpt_mentioned=True,
                    status=status,
                    status_changed_at=ack + timedelta(days=min(age, 30)),
                )
            )
    if melding.closed_at:
        line(melding.closed_at, TimelineKind.STATUS, "Afgesloten", actor)
    if melding.status == Status.WITHDRAWN:
        line(melding.submitted_at, TimelineKind.STATUS, "Ingetrokken", melding.reporter_id)


def seed_meldingen(plan, people):
    pick = _Picker(plan, people)
    created_fields = [
        Melding._meta.get_field("created_at"),
        AuditEvent._meta.get_field("created_at"),
        Message._meta.get_field("created_at"),
    ]

    def make(start, stop):
        made = [_melding(plan, people, pick, i) for i in range(start, stop)]
        insert(Melding, [m for m, _c, _r in made])
        rows = {k: [] for k in ("cat", "timeline", "audit", "steps", "messages", "aangifte")}
        for melding, categories, rng in made:
            _children(plan, melding, categories, rng, rows)
        for model, key in (
            (MeldingCategory, "cat"),
            (TimelineEntry, "timeline"),
            (AuditEvent, "audit"),
            (StepCheck, "steps"),
            (Message, "messages"),
            (Aangifte, "aangifte"),
        ):
            insert(model, rows[key])
        # COPY passes no write path: when each reminder is next due, from the rows.
        refresh(Melding.objects.filter(pk__in=[m.pk for m, _c, _r in made]))

    with historic_timestamps(*created_fields):
        return batched(plan, "melding", plan.count(BASE), make)
