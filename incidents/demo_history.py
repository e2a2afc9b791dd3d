"""A year of handled meldingen for the demo (``manage.py seed_demo``; never in production),
so the monitor has figures to publish: every month, in two gemeenten of every province, in
every provincie and in the demo waterschap, over every category, channel and position.

The meldingen are written as rows, not through the services: they are history, handled
before anyone looks at the demo, and the services would queue a "Nieuwe melding" for every
one. So no notification is written, and none can follow: every acknowledged melding is
closed (no reminder sweep reads closed cases, and retention only after five years), and
the few still waiting for acknowledgement have been escalated as far as they go (the
escalation sweep reads only a melding with a next escalation). Same seed, same history;
nothing is added once the made-up reporters have meldingen."""

import random
from datetime import timedelta

from django.utils import timezone

from weerbaar import search
from weerbaar.constants import OrganisationKind
from weerbaar.demo import UTRECHT
from weerbaar.demo_people import DOMAIN
from weerbaar.models import Membership

from . import reminders
from .constants import (
    AangifteStatus,
    Category,
    Channel,
    EscalationLevel,
    Perpetrator,
    Place,
    Status,
    TimelineKind,
)
from .deadlines import ack_deadline
from .models import Aangifte, Melding, MeldingCategory, TimelineEntry
from .routing import ROUTE_ROLES, decide
from .search import KIND
from .services.common import entry_text
from .timeline_texts import line

__all__ = ["seed_history"]

SEED = 20261207
MONTHS = 12
# Meldingen per month, drawn around these averages: Utrecht (the demo gemeente, whose
# griffier sees its own figures; never fewer than six), every other chosen gemeente, every
# provincie, the waterschap.
PER_MONTH = {
    UTRECHT: (6, 7, 8, 9, 10),
    OrganisationKind.GEMEENTE: (0, 1, 1, 1, 2),
    OrganisationKind.PROVINCIE: (0, 1, 1),
    OrganisationKind.WATERSCHAP: (1, 2, 3),
}
# Still waiting for acknowledgement (escalated as far as they go): in Utrecht, elsewhere.
WAITING = {UTRECHT: 3, "elsewhere": 6}
CHANNELS = [*Channel.values, ""]
CHANNEL_WEIGHTS = [3] * len(Channel.values) + [2]
DESCRIPTION = "Demomelding: verzonnen voorval voor de monitor en de lijsten."


def _months(now):
    """The first moment of the last ``MONTHS`` months (this one included), newest first."""
    start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    months = [start]
    for _n in range(MONTHS - 1):
        start = (start - timedelta(days=1)).replace(day=1)
        months.append(start)
    return months


def _per_month(org, rng):
    return rng.choice(PER_MONTH.get(org.code) or PER_MONTH[org.kind])


def _handlers():
    """{(organisation id, role): a demo account holding it}: who handled the history."""
    rows = (
        Membership.objects.active()
        .filter(user__email__endswith=".demo")
        .order_by("pk")
        .values_list("organisation_id", "role", "user_id")
    )
    handlers = {}
    for org_id, role, user_id in rows:
        handlers.setdefault((org_id, role), user_id)
    return handlers


def _handler(handlers, route, org_id):
    for role in sorted(ROUTE_ROLES.get(route, ())):
        if (org_id, role) in handlers:
            return handlers[(org_id, role)]
    return None


def _plan(people, now, rng):
    """[(person, submitted_at)] over the months, each organisation's people in turn."""
    pools = {}
    for person in people:
        pools.setdefault(person.organisation.code, []).append(person)
    for pool in pools.values():
        rng.shuffle(pool)
    orgs = list(dict.fromkeys(p.organisation for p in people))
    turn = dict.fromkeys(pools, 0)
    latest = now - timedelta(hours=3)
    planned = []
    for start in _months(now):
        end = min((start + timedelta(days=32)).replace(day=1), latest)
        if end <= start:
            continue
        for org in orgs:
            pool = pools[org.code]
            for _n in range(_per_month(org, rng)):
                person = pool[turn[org.code] % len(pool)]
                turn[org.code] += 1
                planned.append((person, start + (end - start) * rng.random()))
    planned.sort(key=lambda p: p[1])
    return planned


def _waiting(planned, now, rng):
    """Indexes of the meldingen still waiting: office holders' meldingen of 3 to 45 days."""

    def candidates(in_utrecht):
        return [
            i
            for i, (person, at) in enumerate(planned)
            if person.position
            and timedelta(days=3) < now - at < timedelta(days=45)
            and (person.organisation.code == UTRECHT) == in_utrecht
        ]

    here, elsewhere = candidates(True), candidates(False)
    return set(rng.sample(here, min(WAITING[UTRECHT], len(here)))) | set(
        rng.sample(elsewhere, min(WAITING["elsewhere"], len(elsewhere)))
    )


def _melding(person, submitted, waiting, i, rng, handlers, now):
    membership = Membership(
        organisation=person.organisation, role=person.role, position=person.position
    )
    routing = decide(membership)
    categories = rng.sample(Category.values, rng.choice((1, 1, 2)))
    severity = Melding.propose_severity(categories)
    route_org = routing.organisation
    m = Melding(
        reporter_id=person.user_id,
        filed_by_id=person.user_id,
        organisation=person.organisation,
        reporter_role=person.role,
        reporter_position=person.position,
        route=routing.route,
        route_organisation=route_org,
        otwb_involved=routing.otwb_involved,
        occurred_at=submitted - timedelta(hours=rng.uniform(1, 48)),
        place=rng.choice(Place.values),
        channel=rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0],
        description=DESCRIPTION,
        perpetrator=Perpetrator.UNKNOWN,
        help_wanted=["talk"],
        category_codes=Melding.codes_of(categories),
        severity_proposal=severity,
        created_at=submitted - timedelta(minutes=rng.randint(5, 40)),
        submitted_at=submitted,
        ack_deadline=ack_deadline(severity, submitted),
    )
    if waiting:
        # Escalated as far as the sweep goes (``sweeps._last_level``), so none is due.
        m.status = Status.SUBMITTED
        m.escalation_level = (
            EscalationLevel.OTWB if m.reporter_position else EscalationLevel.VOORZITTER
        )
        m.otwb_involved = m.otwb_involved or m.escalation_level == EscalationLevel.OTWB
        m.last_activity_at = submitted
        return m, categories
    m.status = Status.CLOSED
    m.severity = severity
    m.assigned_to_id = _handler(handlers, routing.route, route_org.pk if route_org else None)
    if i % 7 == 3:
        m.escalation_level = EscalationLevel.VOORZITTER
    elif i % 7 == 5:
        m.escalation_level = EscalationLevel.REMINDER
    hours = 30 + rng.uniform(0, 30) if m.escalation_level else rng.uniform(0.5, 20)
    m.acknowledged_at = min(submitted + timedelta(hours=hours), now - timedelta(hours=2))
    m.closed_at = min(
        m.acknowledged_at + timedelta(days=rng.uniform(2, 40)), now - timedelta(hours=1)
    )
    m.last_activity_at = m.closed_at
    return m, categories


def _children(m, categories, i, now):
    """Category rows, the timeline and, for one in four, the aangifte."""
    cats = [MeldingCategory(melding_id=m.pk, category=c) for c in categories]
    handler = m.assigned_to_id
    lines = [(m.submitted_at, TimelineKind.STATUS, m.reporter_id, "melding.status", "draft")]
    for level in range(1, m.escalation_level + 1):
        kind = TimelineKind.REMINDER if level == 1 else TimelineKind.ESCALATION
        at = m.submitted_at + (m.ack_deadline - m.submitted_at) * level
        lines.append((min(at, now), kind, None, "escalation", level))
    if m.acknowledged_at:
        lines.append((m.acknowledged_at, TimelineKind.STATUS, handler, "melding.status", "ack"))
        lines.append((m.closed_at, TimelineKind.STATUS, handler, "melding.status", "close"))
    moves = {
        "draft": (Status.DRAFT, Status.SUBMITTED),
        "ack": (Status.SUBMITTED, Status.IN_TRIAGE),
        "close": (Status.IN_TRIAGE, Status.CLOSED),
    }
    timeline = []
    for at, kind, actor, code, arg in lines:
        if code == "escalation":
            text = line(code, l=arg)
        else:
            old, new = moves[arg]
            text = line(code, old=old, new=new)
        timeline.append(
            TimelineEntry(melding_id=m.pk, at=at, actor_id=actor, kind=kind, **entry_text(text))
        )
    aangifte = None
    if m.acknowledged_at and i % 4 == 0:
        age = (now - m.acknowledged_at).days
        status = (
            AangifteStatus.CLOSED
            if age > 150
            else AangifteStatus.OM_DECISION
            if age > 60
            else AangifteStatus.FILED
        )
        aangifte = Aangifte(
            melding_id=m.pk,
            filed_on=(m.acknowledged_at + timedelta(days=1)).date(),
            police_unit="Eenheid Midden-Nederland",
            registration_number=f"DEMO{m.pk:06d}",
            vpt_mentioned=True,
            status=status,
            status_changed_at=m.acknowledged_at + timedelta(days=1),
        )
        timeline.append(
            TimelineEntry(
                melding_id=m.pk,
                at=aangifte.status_changed_at,
                actor_id=handler,
                kind=TimelineKind.AANGIFTE,
                **entry_text(line("aangifte.status", s=status)),
            )
        )
    return cats, timeline, aangifte


def seed_history(people, *, now=None):
    """Add the year of meldingen of ``people`` (``weerbaar.demo_people``) unless they have
    meldingen already; returns how many were added."""
    if Melding.objects.filter(reporter__email__endswith=f"@{DOMAIN}").exists():
        return 0
    now = now or timezone.now()
    rng = random.Random(SEED)  # noqa: S311 (reproducible demo data, not a secret)
    planned = _plan(people, now, rng)
    waiting = _waiting(planned, now, rng)
    handlers = _handlers()
    made = [
        _melding(person, at, i in waiting, i, rng, handlers, now)
        for i, (person, at) in enumerate(planned)
    ]
    created_at = Melding._meta.get_field("created_at")
    created_at.auto_now_add = False
    try:
        Melding.objects.bulk_create([m for m, _c in made])
    finally:
        created_at.auto_now_add = True
    cats, timeline, aangiften = [], [], []
    for i, (m, categories) in enumerate(made):
        c, t, a = _children(m, categories, i, now)
        cats += c
        timeline += t
        if a is not None:
            aangiften.append(a)
    MeldingCategory.objects.bulk_create(cats)
    TimelineEntry.objects.bulk_create(timeline)
    Aangifte.objects.bulk_create(aangiften)
    # Nor through the services: when each reminder is next due, from the rows.
    reminders.refresh(Melding.objects.filter(pk__in=[m.pk for m, _c in made]))
    # bulk_create sends no post_save: the triage search finds them once indexed here.
    search.reindex(KIND, [m.pk for m, _c in made])
    return len(made)
