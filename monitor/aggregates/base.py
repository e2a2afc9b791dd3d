"""Shared pieces of the aggregation queries: the percentile aggregate, month keys and the
group key (organisation kind and province) every count is split by."""

from datetime import date

from django.db import connection
from django.db.models import Aggregate, DurationField, ExpressionWrapper, F, FloatField

__all__ = [
    "Percentile",
    "duration",
    "group_key",
    "group_lookups",
    "month_key",
    "per_group",
    "percentiles_available",
]


class Percentile(Aggregate):
    """``percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)`` on PostgreSQL.

    SQLite (the zero-setup ``make run`` database) has no ordered-set aggregates; there the
    value is NULL and the page says the figure is not available, rather than computing a
    different statistic under the same name."""

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
        return "NULL", []


def percentiles_available():
    return connection.vendor == "postgresql"


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
