"""Meldingen: volumes per month, category, channel, position and group; aangifte,
escalation and acknowledgement. Drafts and withdrawn meldingen are not counted; in an
organisation's own figures the confidential route is left out, because that route exists
so the organisation does not learn of the melding."""

from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import Coalesce, TruncMonth

from incidents.constants import AangifteStatus, EscalationLevel, Status
from incidents.models import Melding, MeldingCategory
from weerbaar.constants import Role

from ..models import Dimension
from ..summary import durations
from ..summary import read as summary
from . import cube
from .base import (
    Percentile,
    duration,
    from_summary,
    group_key,
    group_lookups,
    month_key,
    per_group,
)

__all__ = [
    "CIVIL_SERVANT",
    "ack_times",
    "base",
    "by_category",
    "by_channel",
    "by_month",
    "by_position",
    "overview",
    "own_base",
    "person",
    "position",
]

ORG = "organisation"
CIVIL_SERVANT = Role.CIVIL_SERVANT.value
FILED = (AangifteStatus.FILED, AangifteStatus.INVESTIGATION, AangifteStatus.OM_DECISION)


def base(selection, prefix=""):
    """The meldingen counted; with ``prefix`` ("melding__") the same condition for rows
    of a table that points to the melding, as a join rather than an ``IN`` subquery."""
    model = MeldingCategory if prefix else Melding
    qs = model.objects.filter(
        selection.population(f"{prefix}{ORG}"), selection.in_period(f"{prefix}submitted_at")
    ).exclude(**{f"{prefix}status__in": [Status.DRAFT, Status.WITHDRAWN]})
    if selection.single:
        qs = qs.filter(**{f"{prefix}confidential": False})
    return qs


def own_base(selection):
    """The meldingen ``base`` counts for the own figures of every organisation at once
    (``selection`` names no organisation; its period is used): grouped by organisation,
    each group is that organisation's ``base``."""
    return (
        Melding.objects.filter(selection.in_period("submitted_at"))
        .exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])
        .filter(confidential=False)
    )


def person(prefix=""):
    """The person behind a melding: the reporter, or for a melding whose reporter was
    removed by retention the melding itself (so it still counts as somebody)."""
    return Coalesce(F(f"{prefix}reporter_id"), Value(0) - F(f"{prefix}id"))


def persons(prefix=""):
    """Distinct people behind a count."""
    return Count(person(prefix), distinct=True)


def _grouped(qs, selection, key_field, path=ORG, prefix="", periods=None):
    """({(group, key): meldingen}, {(group, key): people}); ``key_field`` one field, or a
    tuple of fields for a tuple key. With ``periods`` every period of a year's cube in one
    statement (``qs`` over that year), keyed ((period, group), key)."""
    fields = group_lookups(path, selection.single)
    keys = (key_field,) if isinstance(key_field, str) else key_field
    if periods is not None:
        found = cube.count(
            qs,
            periods,
            f"{prefix}submitted_at",
            [F(f) for f in (*fields, *keys)],
            n=cube.distinct(F(f"{prefix}pk")) if prefix else cube.ROWS,
            people=cube.distinct(person(prefix)),
        )
        cells = cube.per_group(found, selection.single, keys=len(keys))
        return (
            {cell: r["n"] for cell, r in cells.items()},
            {cell: r["people"] for cell, r in cells.items()},
        )
    rows = (
        qs.values(*fields, *keys)
        .annotate(n=Count(f"{prefix}pk", distinct=bool(prefix)), people=persons(prefix))
        .order_by()
    )
    counts, people = {}, {}
    for r in rows:
        key = r[keys[0]] if len(keys) == 1 else tuple(r[k] for k in keys)
        cell = (group_key(r, path, selection.single), key)
        counts[cell], people[cell] = r["n"], r["people"]
    return counts, people


_AANGIFTE = Q(aangifte__status__in=FILED) | Q(aangifte__filed_on__isnull=False)
_ESCALATED = Q(escalation_level__gte=EscalationLevel.VOORZITTER)
_ACKNOWLEDGED = Q(acknowledged_at__isnull=False)


def overview(selection, periods=None):
    """{group: {total, people, aangifte, escalated, acknowledged}}; with ``periods`` (a
    year's cube) every period in one statement, keyed (period, group)."""
    selection = cube.year_of(selection, periods)
    if from_summary(selection):
        return _overview_from_summary(selection, periods)
    fields = group_lookups(ORG, selection.single)
    if periods is not None:
        found = cube.count(
            base(selection),
            periods,
            "submitted_at",
            [F(f) for f in fields],
            total=cube.ROWS,
            people=cube.distinct(person()),
            aangifte=cube.where(_AANGIFTE),
            escalated=cube.where(_ESCALATED),
            acknowledged=cube.where(_ACKNOWLEDGED),
        )
        return cube.per_group(found, selection.single, keys=0)
    rows = per_group(
        base(selection),
        fields,
        total=Count("pk"),
        people=persons(),
        aangifte=Count("pk", filter=_AANGIFTE),
        escalated=Count("pk", filter=_ESCALATED),
        acknowledged=Count("pk", filter=_ACKNOWLEDGED),
    )
    return {group_key(r, ORG, selection.single): r for r in rows}


def _overview_from_summary(selection, periods):
    fields = ("aangifte", "escalated", "acknowledged")
    found = summary.cells_of(selection, [Dimension.TOTAL, *fields], periods=periods)
    totals, people = found.get(Dimension.TOTAL, ({}, {}))
    groups = {g for g, _key in totals}
    if selection.single:
        groups.update([()] if periods is None else [(p, ()) for p in periods])
    result = {
        g: {"total": totals.get((g, ""), 0), "people": people.get((g, ""), 0)} for g in groups
    }
    for field in fields:
        counts, _people = found.get(field, ({}, {}))
        for g, row in result.items():
            row[field] = counts.get((g, "yes"), 0)
    return result


def by_month(selection):
    if from_summary(selection):
        counts, people = summary.cells(selection, Dimension.TOTAL, per="month")
        return (
            {(g, m): n for (g, (_k, m)), n in counts.items()},
            {(g, m): n for (g, (_k, m)), n in people.items()},
        )
    qs = base(selection).annotate(month=TruncMonth("submitted_at"))
    counts, people = _grouped(qs, selection, "month")
    return (
        {(g, month_key(m)): n for (g, m), n in counts.items()},
        {(g, month_key(m)): n for (g, m), n in people.items()},
    )


def by_channel(selection, periods=None):
    """Channel is optional on the form; an empty channel is its own key ("onbekend") so the
    keys still add up to the total. Like every function here: (counts, people), and with
    ``periods`` (a year's cube) every period in one statement, keyed ((period, group),
    key)."""
    selection = cube.year_of(selection, periods)
    if from_summary(selection):
        return summary.cells(selection, Dimension.CHANNEL, periods=periods)
    return _grouped(base(selection), selection, "channel", periods=periods)


def by_category(selection, periods=None):
    """A melding can have several categories: these counts do not add up to the total.

    For one organisation the category rows are also limited to the counted meldingen as a
    semi-join (the same condition, so the same rows): PostgreSQL then drives from that
    organisation's meldingen through the covering index and probes each one's categories,
    instead of hashing the category rows of every organisation. The national figures read
    most rows anyway, so there the plain join stays."""
    selection = cube.year_of(selection, periods)
    if from_summary(selection):
        return summary.cells(selection, Dimension.CATEGORY, periods=periods)
    qs = base(selection, prefix="melding__")
    if selection.single:
        qs = qs.filter(melding__in=base(selection).values("pk"))
    return _grouped(
        qs, selection, "category", path=f"melding__{ORG}", prefix="melding__", periods=periods
    )


def position():
    """Office holders by position; everyone else who reports counts as civil servant."""
    return Case(
        When(
            reporter_role=Role.OFFICE_HOLDER, reporter_position__gt="", then=F("reporter_position")
        ),
        default=Value(CIVIL_SERVANT),
        output_field=CharField(),
    )


def by_position(selection, periods=None):
    selection = cube.year_of(selection, periods)
    if from_summary(selection):
        return summary.cells(selection, Dimension.POSITION, periods=periods)
    qs = base(selection).annotate(position=position())
    return _grouped(qs, selection, "position", periods=periods)


def ack_times(selection):
    """Median and 90th percentile of the time from sending to acknowledgement, for the
    selected view only (a percentile cannot be summed from groups); for an organisation's
    own figures read from the sweep's statistics when the build reads the summary and
    they are current (``monitor.summary.durations``)."""
    stored = durations.read(selection) if selection.single and from_summary(selection) else None
    if stored is not None:
        found = stored.get(selection.period, {})
        return {"median": found.get("ack_median"), "p90": found.get("ack_p90")}
    ack = duration("acknowledged_at", "submitted_at")
    return (
        base(selection)
        .filter(selection.view_q(ORG), acknowledged_at__isnull=False)
        .aggregate(median=Percentile(ack, 0.5), p90=Percentile(ack, 0.9))
    )
