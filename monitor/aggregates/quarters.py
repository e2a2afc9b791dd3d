"""Meldingen per quarter of sending: yes/no splits (aangifte, acknowledged within the
deadline) per group, and the median times to acknowledgement and to closing for the
selected view."""

from dataclasses import replace
from datetime import date

from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import TruncMonth, TruncQuarter

from ..models import Dimension
from ..selection import MONTH, QUARTER, Selection
from ..summary import durations
from ..summary import read as summary
from . import cube
from .base import Percentile, duration, from_summary, group_key, group_lookups, month_key
from .meldingen import FILED, ORG, _grouped, base, own_base, persons

__all__ = [
    "AANGIFTE",
    "IN_TIME",
    "TIMES",
    "by_quarter",
    "own_times",
    "quarter_of",
    "split",
    "times",
]

AANGIFTE = Q(aangifte__status__in=FILED) | Q(aangifte__filed_on__isnull=False)
IN_TIME = Q(acknowledged_at__isnull=False, acknowledged_at__lte=F("ack_deadline"))


# The conditions the summary counts (``monitor.summary.build``); any other is counted live.
_SUMMARISED = {id(AANGIFTE): Dimension.AANGIFTE, id(IN_TIME): Dimension.IN_TIME}


def quarter_of(month):
    return date(month.year, 3 * ((month.month - 1) // 3) + 1, 1)


def _flag(condition):
    return Case(When(condition, then=Value("yes")), default=Value("no"), output_field=CharField())


def by_quarter(selection):
    """({(group, quarter): meldingen}, {(group, quarter): people}): a quarter's people
    counted once, however many of its months they reported in."""
    if from_summary(selection):
        counts, people = summary.cells(selection, Dimension.TOTAL, per="quarter")
        return (
            {(g, q): n for (g, (_k, q)), n in counts.items()},
            {(g, q): n for (g, (_k, q)), n in people.items()},
        )
    qs = base(selection).annotate(quarter=TruncQuarter("submitted_at"))
    counts, people = _grouped(qs, selection, "quarter")
    return (
        {(g, month_key(q)): n for (g, q), n in counts.items()},
        {(g, month_key(q)): n for (g, q), n in people.items()},
    )


def split(selection, condition, *, by_quarter=True, periods=None):
    """({(group, (flag, quarter)): meldingen}, {...: people}) with flag "yes"/"no"; with
    ``by_quarter=False`` keyed (group, flag) over the whole period, and with ``periods``
    too (a year's cube) every period in one statement, keyed ((period, group), flag)."""
    if periods is not None and by_quarter:
        raise ValueError("a cube is keyed by its periods, not also by quarter")
    selection = cube.year_of(selection, periods)
    dimension = _SUMMARISED.get(id(condition))
    if dimension is not None and from_summary(selection):
        per = "quarter" if by_quarter else None
        return summary.cells(selection, dimension, per=per, periods=periods)
    if periods is not None:
        qs = base(selection).annotate(flag=_flag(condition))
        return _grouped(qs, selection, "flag", periods=periods)
    fields = group_lookups(ORG, selection.single)
    qs = base(selection).annotate(flag=_flag(condition))
    extra = ["flag"]
    if by_quarter:
        qs = qs.annotate(quarter=TruncQuarter("submitted_at"))
        extra.append("quarter")
    rows = qs.values(*fields, *extra).annotate(n=Count("pk"), people=persons()).order_by()
    counts, people = {}, {}
    for r in rows:
        key = (r["flag"], month_key(r["quarter"])) if by_quarter else r["flag"]
        cell = (group_key(r, ORG, selection.single), key)
        counts[cell], people[cell] = r["n"], r["people"]
    return counts, people


def times(selection, per=QUARTER):
    """{first day of the quarter (or with ``per`` MONTH the month): {ack_median,
    acknowledged, close_median, closed}} for the selected view, every quarter (month) of
    the selected period in one statement; for an organisation's own figures read from
    the sweep's statistics when the build reads the summary and they are current
    (``monitor.summary.durations``)."""
    stored = durations.read(selection) if selection.single and from_summary(selection) else None
    if stored is not None:
        if per != MONTH and selection.period.kind == MONTH:
            # One month's rows, keyed by the quarter they lie in.
            found = stored.get(selection.period)
            return {} if found is None else {quarter_of(selection.start): _times(found)}
        kind = MONTH if per == MONTH else QUARTER
        return {
            p.start: _times(found)
            for p, found in stored.items()
            if p.kind == kind and selection.start <= p.start <= selection.end
        }
    trunc = TruncMonth if per == MONTH else TruncQuarter
    ack = duration("acknowledged_at", "submitted_at")
    close = duration("closed_at", "submitted_at")
    acked, closed = Q(acknowledged_at__isnull=False), Q(closed_at__isnull=False)
    rows = (
        base(selection)
        .filter(selection.view_q(ORG))
        .annotate(start=trunc("submitted_at"))
        .values("start")
        .annotate(
            ack_median=Percentile(ack, 0.5, filter=acked),
            acknowledged=Count("pk", filter=acked),
            close_median=Percentile(close, 0.5, filter=closed),
            closed=Count("pk", filter=closed),
        )
        .order_by()
    )
    return {month_key(r["start"]): r for r in rows}


TIMES = ("ack_median", "acknowledged", "close_median", "closed")


def _times(found):
    return {name: found[name] for name in TIMES}


def own_times(periods):
    """{organisation id: {period: {acknowledged, ack_median, ack_p90, closed,
    close_median}}}: ``times`` and ``meldingen.ack_times`` of every organisation's own
    figures, for every period of a year's cube (its ended months, their quarters and the
    year), in one statement. The same ``percentile_cont`` over the same rows as the live
    statements, so the same numbers; what the summary sweep stores
    (``monitor.summary.durations``). A period without meldingen has no entry."""
    counted = replace(Selection(cube.whole_year(periods)), until=cube.last_month(periods))
    ack = duration("acknowledged_at", "submitted_at")
    close = duration("closed_at", "submitted_at")
    found = cube.count(
        own_base(counted),
        periods,
        "submitted_at",
        [F("organisation_id")],
        # An interval is NULL when its end is: COUNT and percentile_cont skip it, as the
        # live statements' FILTER does.
        acknowledged=cube.Measure("COUNT({})", ack),
        ack_median=cube.Measure(_percentile(0.5), ack),
        ack_p90=cube.Measure(_percentile(0.9), ack),
        closed=cube.Measure("COUNT({})", close),
        close_median=cube.Measure(_percentile(0.5), close),
    )
    result = {}
    for period, (organisation,), measured in found:
        result.setdefault(organisation, {})[period] = measured
    return result


def _percentile(fraction):
    return f"PERCENTILE_CONT({fraction:.4f}) WITHIN GROUP (ORDER BY {{}})"
