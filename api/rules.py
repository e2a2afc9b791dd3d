"""Who may ask for, approve and revoke an API client of an organisation.

A client reads other people's meldingen, so it follows the four-eyes pattern of the
sensitive roles (``weerbaar.membership_rules``): the secretaris of the organisation or a
functioneel beheerder asks; another person approves — the griffier, secretaris or voorzitter
of the same organisation, or a functioneel beheerder — never the requester."""

from django.db.models import Q

from weerbaar.access import EVERYTHING, NOTHING
from weerbaar.constants import Role

__all__ = ["approver_ids", "managed_q", "may_approve", "may_manage", "may_request"]

REQUESTERS = frozenset({Role.SECRETARIS})
APPROVERS = frozenset({Role.GRIFFIER, Role.SECRETARIS, Role.VOORZITTER})


def _beheerder(user):
    return any(m.role == Role.FUNCTIONEEL_BEHEERDER for m in user.active_memberships)


def _holds(user, roles, organisation_id):
    return any(
        m.role in roles and m.organisation_id == organisation_id for m in user.active_memberships
    )


def may_request(user, *, organisation):
    return _beheerder(user) or _holds(user, REQUESTERS, organisation.pk)


def may_approve(user, client):
    """The roles allow it and ``user`` is not the one who asked."""
    if client.requested_by_id == user.pk:
        return False
    return _beheerder(user) or _holds(user, APPROVERS, client.organisation_id)


def may_manage(user, client):
    """See, revoke: whoever could ask for it or approve it."""
    return _beheerder(user) or _holds(user, REQUESTERS | APPROVERS, client.organisation_id)


def managed_q(user):
    if _beheerder(user):
        return EVERYTHING
    q = NOTHING
    for m in user.active_memberships:
        if m.role in REQUESTERS | APPROVERS:
            q |= Q(organisation_id=m.organisation_id)
    return q


def approver_ids(client):
    """Who may approve ``client`` (to tell them), not its requester."""
    from weerbaar.models import Membership

    q = Q(role=Role.FUNCTIONEEL_BEHEERDER) | Q(
        role__in=APPROVERS, organisation_id=client.organisation_id
    )
    ids = Membership.objects.active().filter(q).values_list("user_id", flat=True).distinct()
    return [pk for pk in ids if pk != client.requested_by_id]
