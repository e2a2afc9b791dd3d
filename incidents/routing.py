"""Where a melding goes, decided by the reporter's position (DESIGN §5).

The route and the organisation that receives it are stored on the melding at filing, so the
access scope (``MeldingQuerySet.scope_q``) and the recipients of notifications both follow
from the same two columns and a later change of membership does not move an old case.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from weerbaar.constants import NationalBody, Position, Role
from weerbaar.models import Membership, Organisation

from .constants import Route

__all__ = [
    "ROUTE_ROLES",
    "Recipients",
    "Routing",
    "decide",
    "recipient_labels",
    "recipients",
]

# Which roles of the receiving organisation triage a route.
ROUTE_ROLES = {
    Route.GRIFFIER: frozenset({Role.GRIFFIER}),
    Route.EXECUTIVE: frozenset({Role.SECRETARIS, Role.VOORZITTER}),
    Route.SECRETARIS: frozenset({Role.SECRETARIS}),
    Route.CHAIR: frozenset({Role.VOORZITTER, Role.GRIFFIER}),
    Route.CONFIDENTIAL: frozenset(),
}

# Routes the OTWB vertrouwenspersonen see from the start.
OTWB_ROUTES = frozenset({Route.CHAIR, Route.CONFIDENTIAL})

POSITION_ROUTE = {
    Position.RAADSLID: Route.GRIFFIER,
    Position.STATENLID: Route.GRIFFIER,
    Position.AB_LID: Route.GRIFFIER,
    Position.WETHOUDER: Route.EXECUTIVE,
    Position.GEDEPUTEERDE: Route.EXECUTIVE,
    Position.DIJKGRAAF: Route.EXECUTIVE,
    Position.BURGEMEESTER: Route.CHAIR,
    # The CdK chairs the province: its griffier and the OTWB receive it.
    Position.CDK: Route.CHAIR,
}


@dataclass(frozen=True)
class Routing:
    route: str
    organisation: Organisation | None

    @property
    def otwb_involved(self):
        return self.route in OTWB_ROUTES


def decide(membership, *, confidential=False):
    """The route for a melding filed in ``membership`` (the reporter's role and office)."""
    if confidential or membership is None:
        return Routing(Route.CONFIDENTIAL, None)
    org = membership.organisation
    if membership.role == Role.CIVIL_SERVANT:
        return Routing(Route.SECRETARIS, org)
    route = POSITION_ROUTE.get(membership.position, Route.SECRETARIS)
    if membership.position == Position.BURGEMEESTER:
        return Routing(route, org.province or org)
    return Routing(route, org)


def _otwb_vertrouwenspersonen():
    return Membership.objects.active().filter(
        role=Role.VERTROUWENSPERSOON, organisation__code=NationalBody.OTWB
    )


def recipients(route, organisation, *, otwb_involved=False, roles=None):
    """The people who receive (or are reminded of) a melding on this route."""
    key = Recipients.key(
        route,
        organisation.pk if organisation is not None else None,
        otwb_involved=otwb_involved,
        roles=roles,
    )
    return Recipients().get(key)


def triagers(melding):
    """The people who triage ``melding``: those of its route (and the OTWB's once involved)."""
    return Recipients().get(Recipients.triagers_key(melding))


class Recipients:
    """The people of routes, for one melding (``recipients``) or many at once (a sweep's
    chunk): ``prime`` loads the memberships of every organisation asked for in one query and
    the OTWB's vertrouwenspersonen in another, ``get`` answers from memory. Keys are
    ``(route, organisation_id, otwb_involved, roles)``, made by ``key``."""

    def __init__(self):
        self._by_org = {}
        self._otwb = None

    @staticmethod
    def key(route, organisation_id, *, otwb_involved=False, roles=None):
        roles = ROUTE_ROLES[route] if roles is None else frozenset(roles)
        return (
            route,
            organisation_id if roles else None,
            otwb_involved or route in OTWB_ROUTES,
            roles,
        )

    @staticmethod
    def triagers_key(melding):
        """The key of the people who triage ``melding`` (see ``triagers``)."""
        return Recipients.key(
            melding.route, melding.route_organisation_id, otwb_involved=melding.otwb_involved
        )

    def prime(self, keys):
        wanted = {(org, roles) for _, org, _, roles in keys if org is not None and roles}
        wanted -= set(self._by_org)
        if wanted:
            rows = Membership.objects.active().filter(
                organisation__in={org for org, _ in wanted},
                role__in=set().union(*(roles for _, roles in wanted)),
            )
            for pair in wanted:
                self._by_org[pair] = []
            asked = {}
            for org, roles in wanted:
                asked.setdefault(org, []).append(roles)
            for m in rows.select_related("user").order_by("pk"):
                for roles in asked[m.organisation_id]:
                    if m.role in roles:
                        self._by_org[m.organisation_id, roles].append(m.user)
        if self._otwb is None and any(otwb for _, _, otwb, _ in keys):
            self._otwb = [m.user for m in _otwb_vertrouwenspersonen().select_related("user")]

    def get(self, key):
        self.prime([key])
        _, org, otwb, roles = key
        users = {u.pk: u for u in self._by_org.get((org, roles), ())}
        for user in self._otwb if otwb else ():
            users[user.pk] = user
        return list(users.values())


def recipient_labels(routing):
    """What the reporter is shown before sending: roles and organisations, no names."""
    labels = []
    for role in sorted(ROUTE_ROLES[routing.route]):
        labels.append(f"{Role(role).label}, {routing.organisation}")
    if routing.otwb_involved:
        labels.append(_("Vertrouwenspersoon van het Ondersteuningsteam Weerbaar Bestuur"))
    return labels
