"""Shared pieces of the aggregation queries: the percentile aggregate, month keys and the
group key (organisation kind and province) every count is split by."""

from datetime import date

from django.db.models import Aggregate, DurationField, ExpressionWrapper, F, FloatField

from ..summary import state as summary_state
from . import sqlite

__all__ = [
    "Percentile",
    "duration",
    "from_summary",
    "group_key",
    "group_lookups",
    "month_key",
    "per_group",
]


class Percentile(Aggregate):
    """``percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)`` on PostgreSQL; on
    SQLite (the zero-setup ``make run`` database) the same statistic as an aggregate the
    monitor registers there (``monitor.aggregates.sqlite``)."""

    function = "PERCENTILE_CONT"
    name = "Percentile"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    window_compatible = False

    def __init__(self, expression, fraction, **extra):
        if not 0 <= float(fraction) <= 1:
            raise ValueError("fraction must lie between 0 and 1")
        extra.setdefault("output_field", getattr(expression, "output_field", FloatField()))
        super().__init__(expression, fraction=f"{float(fraction):.4f}", **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        clone = self.copy()
        clone.function = sqlite.FUNCTION
        clone.template = "%(function)s(%(expressions)s, %(fraction)s)"
        return super(Percentile, clone).as_sql(compiler, connection, **extra_context)


def duration(end, start):
    """``end - start`` as an interval."""
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def group_lookups(organisation_path, single):
    """The ``values()`` fields of the group key for a queryset whose organisation is at
    ``organisation_path``; none when the monitor shows one organisation."""
    if single:
        return []
    return [f"{organisation_path}__kind", f"{organisation_path}__province_id"]


def group_key(row, organisation_path, single):
    if single:
        return ()
    return (row[f"{organisation_path}__kind"], row[f"{organisation_path}__province_id"] or 0)


def month_key(value):
    """TruncMonth gives an aware datetime on PostgreSQL and may give a date elsewhere."""
    if value is None:
        return None
    if hasattr(value, "date"):
        value = value.date()
    return date(value.year, value.month, 1)


def per_group(qs, fields, **aggregates):
    """``values(*fields).annotate(...)`` rows, or one ``aggregate(...)`` row when there is
    no group field (``values()`` without fields would group by every column)."""
    if not fields:
        return [qs.aggregate(**aggregates)]
    return list(qs.values(*fields).annotate(**aggregates).order_by())


def from_summary(selection):
    """Whether this build's counts come from the precomputed summary (``monitor.summary``):
    when it is fresh and the period is whole months. Otherwise they are counted live."""
    return selection.start.day == 1 and summary_state.current().summary
