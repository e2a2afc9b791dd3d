"""Where a melding goes (DESIGN §5) and which people that is.

The route and the organisation that receives it are stored on the melding at filing, so the
access scope (``MeldingQuerySet.scope_q``) and the recipients of notifications both follow
from the same columns and a later change of membership does not move an old case.

A route names roles; ``Recipients.resolve`` turns them into people: the holders in force of
the route's roles in the receiving organisation, and when nobody (other than the reporter)
holds them, the next step of the route's chain (``CHAINS``). The same resolution answers
what the reporter is shown before sending, who is notified at filing, and who is reminded
or escalated to by the sweeps, so what the reporter is told is what happens.
"""

from dataclasses import dataclass
from typing import NamedTuple

from django.utils.translation import gettext as _

from weerbaar.constants import NationalBody, Position, Role, role_title
from weerbaar.models import Membership, Organisation

from .constants import Fallback, Route

__all__ = [
    "CHAINS",
    "OTWB",
    "ROUTE_ROLES",
    "TRIAGE_ROLES",
    "Recipients",
    "Resolution",
    "Routing",
    "Target",
    "chain_for",
    "decide",
    "describe",
    "triagers",
]

G, S, V = Role.GRIFFIER, Role.SECRETARIS, Role.VOORZITTER
OTWB = Fallback.OTWB  # a step of a chain: the OTWB's vertrouwenspersonen, as a team
LOCAL_ROLES = (G, S, V)


@dataclass(frozen=True)
class Chain:
    receive: tuple  # at filing and for reminders: the route's roles, then who stands in
    escalate: tuple  # the escalation to the voorzitter (level 2), then who stands in


def _chain(*steps):
    return tuple(frozenset(step) for step in steps)


# Who receives each route, step by step: the first step whose roles somebody (other than
# the reporter) holds in force in the receiving organisation receives it; the OTWB's
# vertrouwenspersonen are the last step of every chain, so a melding always reaches a person.
# Why these orders:
# - griffier (raads-/Statenleden): the griffier supports the council; without one the
#   voorzitter chairs that council, then the secretaris runs the organisation. At escalation
#   the voorzitter, then the secretaris (the griffier already had it).
# - executive (wethouder, gedeputeerde, dijkgraaf/DB-lid, and the CdK in their province):
#   secretaris and voorzitter; without both, straight to the OTWB — the griffier serves the
#   council that holds the executive to account, and must not get the executive's cases.
# - secretaris (civil servants, and a waterschap's AB-leden: a waterschap has no griffier and
#   its secretaris-directeur is the secretary of the algemeen bestuur): the secretaris, then
#   the voorzitter as head of the organisation; at escalation the voorzitter, then the OTWB
#   (the secretaris already had it) — for civil servants only when no voorzitter exists.
# - chair (burgemeester): the Commissaris van de Koning of the province (voorzitter role),
#   whose kabinet supports burgemeesters; the provinciesecretaris runs that kabinet's
#   organisation when no CdK holds an account. The OTWB receives it from the start.
# - confidential: only the OTWB, never the own organisation.
CHAINS = {
    Route.GRIFFIER: Chain(_chain({G}, {V}, {S}, {OTWB}), _chain({V}, {S}, {OTWB})),
    Route.EXECUTIVE: Chain(_chain({S, V}, {OTWB}), _chain({V}, {OTWB})),
    Route.SECRETARIS: Chain(_chain({S}, {V}, {OTWB}), _chain({V}, {OTWB})),
    Route.CHAIR: Chain(_chain({V}, {S}, {OTWB}), _chain({V}, {S}, {OTWB})),
    Route.CONFIDENTIAL: Chain(_chain({OTWB}), _chain({OTWB})),
}


def chain_for(route, protocol=None):
    """The chain of ``route`` under a local protocol's snapshot (``Melding.protocol``, see
    ``incidents.protocol``): its ``receive`` roles replace the first step of the design's
    chain and its ``escalate`` roles the first step of the escalation; the later steps are
    the design's (less the roles already in the first), so an empty protocol role still
    falls back as ``CHAINS`` says. No snapshot (a draft, a melding filed before local
    protocols) is the design's chain itself."""
    chain = CHAINS[route]
    if not protocol:
        return chain
    return Chain(
        _replace_first(chain.receive, protocol.get("receive")),
        _replace_first(chain.escalate, protocol.get("escalate")),
    )


def _replace_first(steps, first):
    if not first:
        return steps
    first = frozenset(first)
    return (first, *(step - first for step in steps[1:] if step - first))


# Which roles of the receiving organisation triage a route (the first step of its chain).
ROUTE_ROLES = {route: chain.receive[0] - {OTWB} for route, chain in CHAINS.items()}

# Every role that can have something to triage (``MeldingQuerySet.triage_q``): the roles that
# receive a route or stand in for one, the voorzitter for escalations, and the OTWB's
# vertrouwenspersonen. Anyone else gets a 403 on the triage dashboard and its export, and
# no link to them.
TRIAGE_ROLES = frozenset(
    {
        *(role for chain in CHAINS.values() for step in chain.receive for role in step),
        Role.VOORZITTER,
        Role.VERTROUWENSPERSOON,
    }
    - {OTWB}
)

# Routes the OTWB vertrouwenspersonen see from the start.
OTWB_ROUTES = frozenset({Route.CHAIR, Route.CONFIDENTIAL})

POSITION_ROUTE = {
    Position.RAADSLID: Route.GRIFFIER,
    Position.STATENLID: Route.GRIFFIER,
    # A waterschap has no griffier: the secretaris-directeur serves its algemeen bestuur.
    Position.AB_LID: Route.SECRETARIS,
    Position.WETHOUDER: Route.EXECUTIVE,
    Position.GEDEPUTEERDE: Route.EXECUTIVE,
    Position.DIJKGRAAF: Route.EXECUTIVE,
    # To the CdK of the province (and the OTWB), not to the own gemeente.
    Position.BURGEMEESTER: Route.CHAIR,
    # The CdK chairs the province: its secretaris (the CdK is excluded as the reporter),
    # and the OTWB as for a burgemeester, since no one above them sits in the province.
    Position.CDK: Route.EXECUTIVE,
}

# Positions the OTWB is involved with from the start, whatever their route.
OTWB_POSITIONS = frozenset({Position.BURGEMEESTER, Position.CDK})


@dataclass(frozen=True)
class Routing:
    route: str
    organisation: Organisation | None
    otwb_involved: bool = False


def decide(membership, *, confidential=False):
    """The route for a melding filed in ``membership`` (the reporter's role and office)."""
    if confidential or membership is None:
        return Routing(Route.CONFIDENTIAL, None, True)
    org = membership.organisation
    if membership.role == Role.CIVIL_SERVANT:
        return Routing(Route.SECRETARIS, org)
    if membership.role == Role.CANDIDATE:
        # To the griffie of the organisation they stand for (a waterschap's secretaris).
        return Routing(POSITION_ROUTE.get(membership.position, Route.SECRETARIS), org)
    if membership.role == Role.FORMER_OFFICE_HOLDER:
        # To the former organisation, as for the council they sat in; a former member of an
        # executive or chair goes to the secretaris (the organisation they served, no longer
        # the colleagues of the executive they left, nor the CdK of the province).
        route = POSITION_ROUTE.get(membership.position)
        return Routing(Route.GRIFFIER if route == Route.GRIFFIER else Route.SECRETARIS, org)
    route = POSITION_ROUTE.get(membership.position, Route.SECRETARIS)
    otwb = route in OTWB_ROUTES or membership.position in OTWB_POSITIONS
    if membership.position == Position.BURGEMEESTER:
        return Routing(route, org.province or org, otwb)
    return Routing(route, org, otwb)


class Target(NamedTuple):
    """Whom to resolve: the steps of a chain in an organisation, with the OTWB team added
    when it is involved. ``melding_id`` and ``recorded`` (the melding's ``routing_fallback``)
    let a batch notice a fallback that is new for that melding."""

    organisation_id: int | None
    steps: tuple
    otwb_team: bool
    reporter_id: int | None = None
    assignee_id: int | None = None
    melding_id: int | None = None
    recorded: str = ""

    @classmethod
    def for_routing(cls, routing, *, reporter_id, protocol=None):
        """Before filing: who a melding on ``routing`` would reach under ``protocol`` (the
        snapshot ``incidents.protocol.snapshot`` gives for the reporter's position)."""
        org = routing.organisation.pk if routing.organisation is not None else None
        steps = chain_for(routing.route, protocol).receive
        return cls(org, steps, routing.otwb_involved, reporter_id)

    @classmethod
    def receivers(cls, melding):
        """The people who triage ``melding``: its route's under the protocol stored on it
        at filing, and the OTWB's once involved."""
        return cls(
            melding.route_organisation_id,
            chain_for(melding.route, melding.protocol).receive,
            melding.otwb_involved or melding.route in OTWB_ROUTES,
            melding.reporter_id,
            None,
            melding.pk,
            melding.routing_fallback,
        )

    @classmethod
    def handlers(cls, melding):
        """The assigned handler while they still hold a triage role in force, else the
        receivers."""
        return cls.receivers(melding)._replace(assignee_id=melding.assigned_to_id)

    @classmethod
    def escalation(cls, melding):
        """The escalation to the voorzitter (level 2), and who stands in for an empty one."""
        return cls.receivers(melding)._replace(
            steps=chain_for(melding.route, melding.protocol).escalate,
            otwb_team=melding.route in OTWB_ROUTES,
        )

    @classmethod
    def otwb(cls):
        """The OTWB's vertrouwenspersonen (the last escalation level)."""
        return cls(None, _chain({OTWB}), True)


@dataclass(frozen=True)
class Resolution:
    """The people a target reached: ``entries`` are (user, role or ``OTWB``); ``fallback``
    is the step that stood in ('' when the route's own roles were held); ``missing`` the
    roles of the route nobody holds in force."""

    target: Target
    entries: tuple
    fallback: str
    missing: tuple

    @property
    def people(self):
        return list({user.pk: user for user, _ in self.entries}.values())


class Recipients:
    """Resolution for one melding or many at once (a sweep's chunk, a page with several
    memberships): ``prime`` loads the triage roles of every organisation asked for in one
    query and the OTWB's vertrouwenspersonen once, ``resolve`` answers from memory. A batch
    keeps the resolutions that used a fallback new to their melding in ``unrecorded``, for
    ``services.routing_gaps.record`` to write."""

    def __init__(self):
        self._holders = {}
        self._orgs = set()
        self._otwb = None
        self.unrecorded = []

    @classmethod
    def from_holders(cls, holders, *, organisation_ids, otwb=()):
        """A resolution over holders already read, reading nothing more: ``holders`` maps
        (organisation id, role) to the people in force (anything with a ``pk``) for every
        organisation of ``organisation_ids``, ``otwb`` the OTWB's vertrouwenspersonen.
        ``incidents.readiness`` reads every organisation's in one grouped query."""
        recipients = cls()
        recipients._holders = {key: list(people) for key, people in holders.items()}
        recipients._orgs = set(organisation_ids)
        recipients._otwb = list(otwb)
        return recipients

    def prime(self, targets):
        orgs = {t.organisation_id for t in targets if t.organisation_id is not None}
        orgs -= self._orgs
        if orgs:
            rows = Membership.objects.active().filter(organisation__in=orgs, role__in=LOCAL_ROLES)
            for m in rows.select_related("user").order_by("pk"):
                self._holders.setdefault((m.organisation_id, m.role), []).append(m.user)
            self._orgs |= orgs
        if self._otwb is None and any(t.otwb_team for t in targets):
            self._load_otwb()

    def _load_otwb(self):
        rows = Membership.objects.active().filter(
            role=Role.VERTROUWENSPERSOON, organisation__code=NationalBody.OTWB
        )
        self._otwb = list({m.user.pk: m.user for m in rows.select_related("user")}.values())

    def _people(self, org, receiver):
        if receiver == OTWB:
            if self._otwb is None:
                self._load_otwb()
            return self._otwb
        return self._holders.get((org, receiver), ())

    def _assignee(self, target):
        """The assigned handler as a user, while they hold a triage role in force there."""
        for role in LOCAL_ROLES:
            for user in self._holders.get((target.organisation_id, role), ()):
                if user.pk == target.assignee_id:
                    return user, role
        if target.otwb_team:
            for user in self._people(None, OTWB):
                if user.pk == target.assignee_id:
                    return user, OTWB
        return None

    def resolve(self, target):
        self.prime([target])
        org, reporter = target.organisation_id, target.reporter_id
        if target.assignee_id and (entry := self._assignee(target)):
            return Resolution(target, (entry,), "", ())
        entries, fallback = (), ""
        for index, step in enumerate(target.steps):
            entries = tuple(
                (user, receiver)
                for receiver in sorted(step)
                for user in self._people(org, receiver)
                if user.pk != reporter
            )
            if entries:
                fallback = "" if index == 0 else min(step)
                break
        if not entries and len(target.steps) > 1:
            # Nobody anywhere in the chain: the last step stands (the OTWB sees it as soon
            # as it has a vertrouwenspersoon) and the gap is alerted.
            fallback = min(target.steps[-1])
        first = sorted(target.steps[0] - {OTWB})
        missing = tuple(r for r in first if not self._holders.get((org, r)))
        if fallback and not missing:
            missing = tuple(first)  # held only by the reporter
        if target.otwb_team and fallback != OTWB:
            entries += tuple((user, OTWB) for user in self._people(org, OTWB))
        resolution = Resolution(target, entries, fallback, missing)
        if target.melding_id and fallback and fallback != target.recorded:
            self.unrecorded.append(resolution)
        return resolution

    def take_unrecorded(self):
        """The resolutions with a fallback new to their melding, since the last call."""
        taken, self.unrecorded = self.unrecorded, []
        return taken

    def get(self, target):
        """The people ``target`` reaches (the sweeps' notifications)."""
        return self.resolve(target).people


def triagers(melding):
    """The people who triage ``melding`` now (see ``Target.receivers``)."""
    return Recipients().resolve(Target.receivers(melding)).people


def otwb_team_label():
    return _("Een vertrouwenspersoon van het OTWB (Ondersteuningsteam Weerbaar Bestuur)")


def describe(resolution, organisation):
    """What the reporter is shown: the names of the people of ``resolution`` with their
    office, the OTWB as its team (a national body, not names), and why a fallback stands
    in. The same resolution decides who is notified, so the two cannot differ."""
    lines, team = [], False
    for user, receiver in resolution.entries:
        if receiver == OTWB:
            team = True
            continue
        title = role_title(receiver, organisation.kind)
        lines.append(
            _("%(name)s — %(title)s, %(org)s")
            % {
                "name": user.get_full_name(),
                "title": title,
                "org": organisation,
            }
        )
    lines = list(dict.fromkeys(lines))
    if team:
        lines.append(otwb_team_label())
    note = ""
    if resolution.fallback and organisation is not None:
        note = gap_text(organisation, resolution.missing)
    return {"lines": lines, "note": note, "empty": not lines}


def gap_text(organisation, missing):
    """Which roles an organisation lacks, in its own words (no case content)."""
    titles = ", ".join(str(role_title(r, organisation.kind)).lower() for r in missing)
    return _("%(org)s heeft geen %(titles)s met een account in het portaal.") % {
        "org": organisation,
        "titles": titles,
    }
