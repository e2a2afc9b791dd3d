"""Denominators for rates, per position and group: for each organisation the seats of
that position from the reference table (``weerbaar.SeatCount``) where known, else the
office holders with a membership in force at the end of the selected period (or now, if
that is earlier); with how many organisations each way was counted."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from weerbaar.constants import POSITIONS_BY_KIND, Role
from weerbaar.models import Membership, Organisation, SeatCount

from ..selection import KINDS
from .base import group_key, group_lookups

__all__ = ["Denominator", "denominators"]

ORG = "organisation"


@dataclass(frozen=True)
class Denominator:
    """``seats`` over the ``seat_organisations`` whose number is in the reference table,
    ``members`` in the portal over the ``member_organisations`` whose number is not."""

    seats: int = 0
    seat_organisations: int = 0
    members: int = 0
    member_organisations: int = 0

    @property
    def total(self):
        return self.seats + self.members

    def __add__(self, other):
        return Denominator(
            self.seats + other.seats,
            self.seat_organisations + other.seat_organisations,
            self.members + other.members,
            self.member_organisations + other.member_organisations,
        )


def _organisations(selection):
    """{(group, kind): organisations} of the population."""
    if selection.single:
        return {((), selection.organisation.kind): 1}
    rows = (
        Organisation.objects.filter(kind__in=KINDS, is_active=True)
        .values("kind", "province_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {((r["kind"], r["province_id"] or 0), r["kind"]): r["n"] for r in rows}


def denominators(selection):
    """({(group, position): Denominator}, the moment the members were counted)."""
    at = min(selection.end_before, timezone.now())
    fields = group_lookups(ORG, selection.single)
    population = selection.population(ORG)
    seats = defaultdict(lambda: [0, 0])
    known = set()
    for r in (
        SeatCount.objects.filter(population)
        .values(*fields, "organisation_id", "position", "seats")
        .order_by()
    ):
        key = (group_key(r, ORG, selection.single), r["position"])
        seats[key][0] += r["seats"]
        seats[key][1] += 1
        known.add((r["organisation_id"], r["position"]))
    members = defaultdict(int)
    for r in (
        Membership.objects.active(at=at)
        .filter(population, role=Role.OFFICE_HOLDER, position__gt="")
        .values(*fields, "organisation_id", "position")
        .annotate(n=Count("user", distinct=True))
        .order_by()
    ):
        if (r["organisation_id"], r["position"]) not in known:
            members[(group_key(r, ORG, selection.single), r["position"])] += r["n"]
    result = {}
    for (group, kind), count in _organisations(selection).items():
        for position in POSITIONS_BY_KIND.get(kind, []):
            key = (group, position)
            seat_total, seat_orgs = seats.get(key, (0, 0))
            result[key] = Denominator(
                seat_total, seat_orgs, members.get(key, 0), max(count - seat_orgs, 0)
            )
    return result, at
