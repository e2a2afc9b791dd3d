"""Who may request which role, and who must approve it: ONE table (``RULES``).

Why this table:

- **Reporter roles** (office holder, civil servant) see only their own cases. The griffier
  or secretaris of the organisation grants them in one step, as before, and so does the
  functioneel beheerder, who onboards organisations that have nobody in the portal yet.
- **The local triage roles** (griffier, secretaris, voorzitter) read other people's
  meldingen. The griffier or secretaris of the organisation (or the functioneel beheerder)
  may ask; the role takes effect once the holder of *another* office of the same
  organisation approves — a new griffier is confirmed by the secretaris or the voorzitter,
  a new secretaris by the griffier or the voorzitter, a new voorzitter by the griffier or
  the secretaris — or a functioneel beheerder. They know who really holds the office, and
  their own route's meldingen are what the newcomer will read. A waterschap has no griffier,
  so there the secretaris-directeur and the dijkgraaf confirm each other (or the beheerder).
- **National roles** are handed out by the functioneel beheerder only. The OTWB roles
  (vertrouwenspersoon, coördinator) are approved by the OTWB coördinator, who knows the
  team and its trainers; the BZK/CCV roles of Veilig Wonen and statistics (intake, adviser,
  BVA, analyst) by the beveiligingsautoriteit, BZK's senior role that already works four
  eyes on every advice; either may also be approved by a *second* functioneel beheerder.
  A new functioneel beheerder — who can reach the admin — only by a second one.

On top of the table, ``weerbaar.memberships`` holds the rules that are about persons, not
roles: nobody requests a role for themselves, and the approver of a four-eyes request is
never the requester and never the person who gets the role (also a database constraint).
"""

from dataclasses import dataclass

from django.db.models import Q

from .access import NOTHING
from .constants import Role

__all__ = [
    "ANY",
    "OWN",
    "RULES",
    "SENSITIVE_ROLES",
    "Rule",
    "approvable_q",
    "approver_ids",
    "may_approve",
    "may_request",
    "requestable_roles",
]

OWN = "own"  # held in the organisation the role is for
ANY = "any"  # held in any organisation (the national roles)


@dataclass(frozen=True)
class Rule:
    """``requesters`` and ``approvers`` are (role, scope) pairs; no approvers: one step."""

    requesters: tuple
    approvers: tuple = ()

    @property
    def four_eyes(self):
        return bool(self.approvers)


R = Role
BEHEERDER = (R.FUNCTIONEEL_BEHEERDER, ANY)
LOCAL = ((R.GRIFFIER, OWN), (R.SECRETARIS, OWN), BEHEERDER)

RULES = {
    R.OFFICE_HOLDER: Rule(LOCAL),
    R.CIVIL_SERVANT: Rule(LOCAL),
    R.CANDIDATE: Rule(LOCAL),
    R.FORMER_OFFICE_HOLDER: Rule(LOCAL),
    R.GRIFFIER: Rule(LOCAL, ((R.SECRETARIS, OWN), (R.VOORZITTER, OWN), BEHEERDER)),
    R.SECRETARIS: Rule(LOCAL, ((R.GRIFFIER, OWN), (R.VOORZITTER, OWN), BEHEERDER)),
    R.VOORZITTER: Rule(LOCAL, ((R.GRIFFIER, OWN), (R.SECRETARIS, OWN), BEHEERDER)),
    R.VERTROUWENSPERSOON: Rule((BEHEERDER,), ((R.OTWB_COORDINATOR, ANY), BEHEERDER)),
    R.OTWB_COORDINATOR: Rule((BEHEERDER,), ((R.OTWB_COORDINATOR, ANY), BEHEERDER)),
    R.VW_INTAKE: Rule((BEHEERDER,), ((R.BVA, ANY), BEHEERDER)),
    R.SECURITY_ADVISER: Rule((BEHEERDER,), ((R.BVA, ANY), BEHEERDER)),
    R.BVA: Rule((BEHEERDER,), ((R.BVA, ANY), BEHEERDER)),
    R.ANALYST: Rule((BEHEERDER,), ((R.BVA, ANY), BEHEERDER)),
    R.FUNCTIONEEL_BEHEERDER: Rule((BEHEERDER,), (BEHEERDER,)),
}

# Roles that take effect only after a second person approved.
SENSITIVE_ROLES = frozenset(role for role, rule in RULES.items() if rule.four_eyes)


def _holds(user, pairs, organisation_id):
    return any(
        (m.role, ANY) in pairs or ((m.role, OWN) in pairs and m.organisation_id == organisation_id)
        for m in user.active_memberships
    )


def may_request(user, *, organisation, role):
    """Whether ``user`` may ask for ``role`` in ``organisation`` (for someone else)."""
    return _holds(user, RULES[Role(role)].requesters, organisation.pk)


def may_approve(user, *, organisation, role):
    """Whether ``user``'s roles let them approve ``role`` in ``organisation`` (the person
    rules — not the requester, not the grantee — are checked by the service)."""
    rule = RULES[Role(role)]
    return rule.four_eyes and _holds(user, rule.approvers, organisation.pk)


def requestable_roles(user):
    """The roles ``user`` may request somewhere (for the invitation form's choices)."""
    held = {m.role for m in user.active_memberships}
    return [r for r, rule in RULES.items() if any(role in held for role, _ in rule.requesters)]


def approvable_q(user):
    """A ``Q`` over membership requests: those whose role ``user`` may approve, by the
    table. Built from the memberships read once per request."""
    q = NOTHING
    for role, rule in RULES.items():
        for m in user.active_memberships:
            if (m.role, ANY) in rule.approvers:
                q |= Q(role=role)
            elif (m.role, OWN) in rule.approvers:
                q |= Q(role=role, organisation_id=m.organisation_id)
    return q


def approver_ids(*, organisation, role):
    """The users who may approve ``role`` in ``organisation`` (to tell them)."""
    from .models import Membership

    q = NOTHING
    for held, scope in RULES[Role(role)].approvers:
        q |= Q(role=held) if scope == ANY else Q(role=held, organisation=organisation)
    if q == NOTHING:
        return []
    return list(Membership.objects.active().filter(q).values_list("user_id", flat=True).distinct())
