"""Veilig Wonen: applications per month and urgency class, waiting time to the intake
conversation and to the issued advice, and executed measures with their cost per year."""

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractYear, TruncMonth

from veiligwonen.constants import MeasureStatus
from veiligwonen.models import Application, Measure

from . import cube
from .base import Percentile, duration, group_key, group_lookups, month_key

__all__ = [
    "base",
    "by_month",
    "by_urgency_and_waits",
    "costs_by_year",
    "wait_times",
]

ORG = "organisation"


def base(selection):
    return Application.objects.filter(
        selection.population(ORG), selection.in_period("submitted_at")
    )


def _grouped(qs, selection, key_field):
    fields = group_lookups(ORG, selection.single)
    rows = qs.values(*fields, key_field).annotate(n=Count("pk")).order_by()
    return {(group_key(r, ORG, selection.single), r[key_field]): r["n"] for r in rows}


def by_month(selection):
    qs = base(selection).annotate(month=TruncMonth("submitted_at"))
    return {(g, month_key(m)): n for (g, m), n in _grouped(qs, selection, "month").items()}


_INTAKE = Q(intake_held_at__isnull=False)
_ADVICE = Q(advice_issued_at__isnull=False)


def by_urgency_and_waits(selection, periods=None):
    """Applications per group and urgency class, and how many of them had their intake and
    their advice: ``({(group, class): n}, {"intake": {...}, "advice": {...}})``, the same
    rows in the same groups, so one query; with ``periods`` (a year's cube) every period
    in that one query, keyed ((period, group), class)."""
    selection = cube.year_of(selection, periods)
    fields = group_lookups(ORG, selection.single)
    if periods is not None:
        found = cube.count(
            base(selection),
            periods,
            "submitted_at",
            [*(F(f) for f in fields), F("urgency_class")],
            n=cube.ROWS,
            intake=cube.where(_INTAKE),
            advice=cube.where(_ADVICE),
        )
        cells = cube.per_group(found, selection.single)
        return (
            {cell: r["n"] for cell, r in cells.items()},
            {
                "intake": {cell: r["intake"] for cell, r in cells.items()},
                "advice": {cell: r["advice"] for cell, r in cells.items()},
            },
        )
    rows = (
        base(selection)
        .values(*fields, "urgency_class")
        .annotate(
            n=Count("pk"),
            intake=Count("pk", filter=_INTAKE),
            advice=Count("pk", filter=_ADVICE),
        )
        .order_by()
    )
    urgency, waits = {}, {"intake": {}, "advice": {}}
    for r in rows:
        key = (group_key(r, ORG, selection.single), r["urgency_class"])
        urgency[key] = r["n"]
        waits["intake"][key] = r["intake"]
        waits["advice"][key] = r["advice"]
    return urgency, waits


def _wait_aggregates():
    intake = duration("intake_held_at", "submitted_at")
    advice = duration("advice_issued_at", "submitted_at")
    has_intake = Q(intake_held_at__isnull=False)
    has_advice = Q(advice_issued_at__isnull=False)
    return {
        "intake_median": Percentile(intake, 0.5, filter=has_intake),
        "intake_p90": Percentile(intake, 0.9, filter=has_intake),
        "advice_median": Percentile(advice, 0.5, filter=has_advice),
        "advice_p90": Percentile(advice, 0.9, filter=has_advice),
    }


def wait_times(selection):
    """Median and 90th percentile per urgency class and overall, for the selected view:
    ({class: {...}}, {...}). Two queries: per class, and for all classes together."""
    qs = base(selection).filter(selection.view_q(ORG))
    per_class = {
        r["urgency_class"]: r
        for r in qs.values("urgency_class").annotate(**_wait_aggregates()).order_by()
    }
    return per_class, qs.aggregate(**_wait_aggregates())


def costs_by_year(selection, periods=None):
    """Executed measures completed in the period, per group and year: {(group, year):
    {applications, measures, cost}}. Applications are the people behind the figure, so
    they decide what may be shown. With ``periods`` (a year's cube) every period in one
    statement, keyed ((period, group), year)."""
    selection = cube.year_of(selection, periods)
    path = f"advice__application__{ORG}"
    fields = group_lookups(path, selection.single)
    done = Measure.objects.filter(
        selection.population(path),
        status=MeasureStatus.DONE,
        completed_on__gte=selection.start,
        completed_on__lt=selection.end_before.date(),
    )
    if periods is not None:
        found = cube.count(
            done,
            periods,
            "completed_on",
            [*(F(f) for f in fields), ExtractYear("completed_on")],
            applications=cube.distinct(F("advice__application")),
            measures=cube.ROWS,
            cost=cube.total(F("actual_cost")),
        )
        return cube.per_group(found, selection.single)
    rows = (
        done.annotate(year=ExtractYear("completed_on"))
        .values(*fields, "year")
        .annotate(
            applications=Count("advice__application", distinct=True),
            measures=Count("pk"),
            cost=Sum("actual_cost"),
        )
        .order_by()
    )
    return {(group_key(r, path, selection.single), r["year"]): r for r in rows}
