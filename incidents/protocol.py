"""What an organisation's local protocol may say (issue 19 §2), and the snapshot a melding
keeps of it.

The design's routes (``routing.CHAINS``) stay the default and the floor: a protocol can add
receiving roles to a position's route and choose the first escalation step, never take the
design's receivers away, and only within ``OPTIONS``. Everything else about routing (the
fallback when a role is empty, the OTWB's involvement, the receiving organisation) is the
design's, read through ``routing.chain_for``.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from weerbaar.constants import POSITIONS_BY_KIND, Position, Role

from . import routing
from .constants import Route
from .models import ProtocolRoute

__all__ = [
    "CIVIL_SERVANT",
    "OPTIONS",
    "Choice",
    "Options",
    "choices_for",
    "choices_of",
    "clean",
    "for_melding",
    "key_of",
    "position_key",
    "position_label",
    "positions_of",
    "snapshot",
    "texts_for",
]

G, S, V = Role.GRIFFIER, Role.SECRETARIS, Role.VOORZITTER
CIVIL_SERVANT = Role.CIVIL_SERVANT.value  # the key of the organisation's staff


@dataclass(frozen=True)
class Options:
    """What a position's protocol may choose: roles it may ADD to the design's receivers,
    and the roles the first escalation step may consist of (the design's first is one)."""

    receive: frozenset
    escalate: frozenset


@dataclass(frozen=True)
class Choice:
    """A position's protocol: the roles added to the receivers, the escalation's first
    step (empty: the design's)."""

    receive: frozenset = frozenset()
    escalate: frozenset = frozenset()


# The allowed options, one table. Why some are not allowed:
# - raadslid / Statenlid (default: the griffier; escalation: the voorzitter): the voorzitter
#   chairs the council and may receive it too. Not the secretaris: the secretaris heads the
#   civil service under the college, which the council holds to account, and a council
#   member's melding may concern the college or its officials. The escalation may go to the
#   voorzitter and/or the secretaris (who runs the organisation's security measures).
# - wethouder, gedeputeerde, dijkgraaf/DB-lid, CdK (default: secretaris and voorzitter):
#   nothing to add or choose. The griffier serves the council that holds the executive to
#   account and must never get the executive's cases; the other two already receive it.
# - burgemeester: fixed. The melding goes to the CdK of the province and the OTWB (another
#   organisation than the gemeente), and the gemeente's own griffier and secretaris serve
#   the burgemeester: the gemeente cannot route it elsewhere.
# - AB-lid (default: the secretaris-directeur): the dijkgraaf chairs the algemeen bestuur
#   and may receive it too; a waterschap has no griffier.
# - civil servant (default: the secretaris): the voorzitter as head of the organisation may
#   receive it too. Not the griffier: the griffier is not the staff's employer.
# - the confidential route is not a position: it only ever reaches the OTWB, never the own
#   organisation, whatever the protocol says.
_COUNCIL = Options(frozenset({V}), frozenset({V, S}))
_EXECUTIVE = Options(frozenset(), frozenset({V}))
OPTIONS = {
    Position.RAADSLID: _COUNCIL,
    Position.STATENLID: _COUNCIL,
    Position.WETHOUDER: _EXECUTIVE,
    Position.GEDEPUTEERDE: _EXECUTIVE,
    Position.DIJKGRAAF: _EXECUTIVE,
    Position.CDK: _EXECUTIVE,
    Position.BURGEMEESTER: Options(frozenset(), frozenset()),
    Position.AB_LID: Options(frozenset({V}), frozenset({V})),
    CIVIL_SERVANT: Options(frozenset({V}), frozenset({V})),
}


def positions_of(kind):
    """The positions of an organisation of ``kind``, and its staff, in the page's order."""
    return [*POSITIONS_BY_KIND.get(kind, ()), CIVIL_SERVANT]


def position_label(key):
    return _("Ambtenaar") if key == CIVIL_SERVANT else Position(key).label


def position_key(membership):
    """The key of ``OPTIONS`` a reporter files under ('' for roles outside the table)."""
    return key_of(membership.role, membership.position)


def clean(key, choice):
    """``choice`` within ``OPTIONS`` for ``key``, or ``ValueError`` (a forged form)."""
    options = OPTIONS.get(key)
    if options is None:
        raise ValueError(key)
    if not choice.receive <= options.receive or not choice.escalate <= options.escalate:
        raise ValueError(key)
    return choice


def choices_of(organisation_id):
    """The choices in force for an organisation, per position key (one query; positions
    without a row follow the design)."""
    return choices_for([organisation_id]).get(organisation_id, {})


def choices_for(organisation_ids):
    """``choices_of`` for many organisations in one query: {organisation id: {key: choice}}."""
    rows = ProtocolRoute.objects.filter(protocol__organisation_id__in=organisation_ids)
    result = {}
    for org, position, receive, escalate in rows.values_list(
        "protocol__organisation_id", "position", "receive", "escalate"
    ):
        if position in OPTIONS:
            result.setdefault(org, {})[position] = Choice(frozenset(receive), frozenset(escalate))
    return result


def snapshot(routing_decided, key, choice):
    """What a melding on ``routing_decided`` filed under position ``key`` keeps of the
    protocol: its first receiving step and first escalation step, as sorted role values.
    The confidential route and roles outside the table keep the design's chain."""
    chain = routing.CHAINS[routing_decided.route]
    first = set(chain.receive[0])
    escalate = set(chain.escalate[0])
    options = OPTIONS.get(key)
    if choice is not None and options is not None and routing_decided.route != Route.CONFIDENTIAL:
        # Rows outside today's options (a table changed since) are ignored, not obeyed.
        first |= choice.receive & options.receive
        escalate = set(choice.escalate & options.escalate) or escalate
    return {"receive": sorted(first), "escalate": sorted(escalate)}


def key_of(role, position):
    """``position_key`` from the columns a melding keeps of its reporter's office."""
    if role == Role.CIVIL_SERVANT:
        return CIVIL_SERVANT
    return position if position in OPTIONS else ""


def for_melding(melding):
    """The snapshot for ``melding`` now (``services.filing.submit``): the protocol in force
    in the reporter's organisation for the reporter's position."""
    key = key_of(melding.reporter_role, melding.reporter_position)
    decided = routing.Routing(melding.route, melding.route_organisation, melding.otwb_involved)
    choice = choices_of(melding.organisation_id).get(key) if key else None
    return snapshot(decided, key, choice)


def texts_for(organisation_ids, language):
    """The published "Bij wie meldt u?" texts of these organisations in ``language`` (the
    Dutch one where no English one was written), as (organisation, text); one query."""
    from .models import LocalProtocol

    rows = LocalProtocol.objects.filter(organisation_id__in=set(organisation_ids))
    rows = rows.select_related("organisation").order_by("organisation__name")
    return [(p.organisation, text) for p in rows if (text := p.text_for(language).strip())]
