"""Denominators for rates: office holders in the portal per position and group, from the
memberships in force at the end of the selected period (or now, if that is earlier)."""

from django.db.models import Count
from django.utils import timezone

from weerbaar.constants import Role
from weerbaar.models import Membership

from .base import group_key, group_lookups

__all__ = ["holders"]

ORG = "organisation"


def holders(selection):
    """({(group, position): office holders}, the moment they were counted)."""
    at = min(selection.end_before, timezone.now())
    fields = group_lookups(ORG, selection.single)
    rows = (
        Membership.objects.active(at=at)
        .filter(selection.population(ORG), role=Role.OFFICE_HOLDER, position__gt="")
        .values(*fields, "position")
        .annotate(n=Count("user", distinct=True))
        .order_by()
    )
    return {(group_key(r, ORG, selection.single), r["position"]): r["n"] for r in rows}, at
