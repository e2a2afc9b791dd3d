"""The OTWB tour: how many gemeenten and provincies the current main tour has reached
(voorgesprek held, session held), cumulatively by month."""

from django.db.models import Count
from django.db.models.functions import TruncMonth

from otwb.constants import TourKind
from otwb.models import Tour, Traject

from .base import group_key, group_lookups, month_key, per_group

__all__ = ["current_tour", "organisations", "reached_by_month"]

ORG = "organisation"


def current_tour():
    return Tour.objects.filter(kind=TourKind.MAIN).order_by("-starts_on").first()


def organisations(tour, selection):
    """{group: number of organisations in the tour}."""
    fields = group_lookups(ORG, selection.single)
    rows = per_group(
        Traject.objects.filter(selection.population(ORG), tour=tour), fields, n=Count("pk")
    )
    return {group_key(r, ORG, selection.single): r["n"] for r in rows}


def reached_by_month(tour, selection, milestone):
    """{(group, month): organisations whose ``milestone`` (``voorgesprek_held_at`` or
    ``session_held_at``) fell in that month}, over the whole tour."""
    fields = group_lookups(ORG, selection.single)
    rows = (
        Traject.objects.filter(
            selection.population(ORG), tour=tour, **{f"{milestone}__isnull": False}
        )
        .annotate(month=TruncMonth(milestone))
        .values(*fields, "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(group_key(r, ORG, selection.single), month_key(r["month"])): r["n"] for r in rows}
