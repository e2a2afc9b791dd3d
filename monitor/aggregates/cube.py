"""Every period of a year's cube — its months, its quarters and the year — counted in one
statement, instead of one statement per period.

The ORM selects the year's rows (the group, the key, a month and quarter and the columns
the measures need); around that, PostgreSQL groups them ``GROUPING SETS ((month),
(quarter), ())``. SQLite has no grouping sets: there the same three groupings are one
statement as well, ``UNION ALL`` over a common table expression. Every measure of a quarter
or the year is taken over its own rows — distinct people are never summed from months."""

from dataclasses import dataclass, replace
from datetime import date, datetime

from django.db import connections
from django.db.models import Case, IntegerField, Value, When
from django.db.models.functions import TruncMonth, TruncQuarter

from ..selection import MONTH, Period

__all__ = [
    "ROWS",
    "Measure",
    "count",
    "distinct",
    "last_month",
    "per_group",
    "total",
    "where",
    "whole_year",
    "year_of",
]


@dataclass(frozen=True)
class Measure:
    """An aggregate over one column of the selected rows (``{}`` in ``sql``), or over the
    rows themselves when there is no ``expression``."""

    sql: str
    expression: object = None


ROWS = Measure("COUNT(*)")


def distinct(expression):
    return Measure("COUNT(DISTINCT {})", expression)


def where(condition):
    """The rows meeting ``condition`` (``Count("pk", filter=condition)``)."""
    return Measure("COUNT({})", Case(When(condition, then=Value(1)), output_field=IntegerField()))


def total(expression):
    return Measure("SUM({})", expression)


def whole_year(periods):
    """The year the cube's periods lie in: its rows are the ones counted."""
    years = {p.year for p in periods}
    if len(years) != 1:
        raise ValueError("the periods of a cube lie in one year")
    return Period(years.pop())


def year_of(selection, periods):
    """The selection whose rows are counted: with ``periods`` (a year's cube) the same scope
    over that year, else ``selection`` itself."""
    if periods is None:
        return selection
    return replace(selection.at(whole_year(periods)), until=last_month(periods))


def last_month(periods):
    """The first day of the last month in a cube: the rows counted end with it (the
    running month is not in a cube, ``Period.cube``)."""
    return max(p.start for p in periods if p.kind == MONTH)


def _day(value):
    """A month or quarter as the database gives it back outside the ORM: a datetime (the
    local time truncated), a date, or on SQLite an ISO string."""
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        return value.date()
    return value


def _sql(connection, inner, by, measures):
    quote = connection.ops.quote_name
    keys = [quote(name) for name in by]
    aggregates = [m.sql.format(quote(f"cube_{name}")) for name, m in measures.items()]
    month, quarter = quote("cube_month"), quote("cube_quarter")
    if connection.vendor == "postgresql":
        return (
            f"SELECT {', '.join([month, quarter, *keys, *aggregates])} "  # noqa: S608
            f"FROM ({inner}) AS cube_rows "
            f"GROUP BY {''.join(f'{k}, ' for k in keys)}"
            f"GROUPING SETS (({month}), ({quarter}), ())"
        )
    parts = []
    for level in (month, quarter, None):
        columns = [
            month if level == month else "NULL",
            quarter if level == quarter else "NULL",
            *keys,
            *aggregates,
        ]
        grouping = [*keys, level] if level else keys
        parts.append(
            f"SELECT {', '.join(columns)} FROM cube_rows"  # noqa: S608
            + (f" GROUP BY {', '.join(grouping)}" if grouping else "")
        )
    return f"WITH cube_rows AS ({inner}) " + " UNION ALL ".join(parts)


def count(qs, periods, moment, by=(), **measures):
    """[(period, (by values), {measure name: value})] for the periods of ``periods`` that
    have rows, in one statement. ``qs``: the rows of the whole year (``whole_year``);
    ``moment``: the date or datetime that places a row in a month; ``by``: expressions
    grouped by within each period (the group and the key); ``measures``: {name: Measure}."""
    columns = {f"cube_by{i}": expression for i, expression in enumerate(by)}
    values = {
        f"cube_{name}": m.expression for name, m in measures.items() if m.expression is not None
    }
    inner = qs.values(
        cube_month=TruncMonth(moment), cube_quarter=TruncQuarter(moment), **columns, **values
    ).order_by()
    connection = connections[inner.db]
    sql, params = inner.query.get_compiler(connection=connection).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(_sql(connection, sql, columns, measures), params)
        rows = cursor.fetchall()
    year, wanted, width = whole_year(periods), set(periods), len(columns)
    result = []
    for month, quarter, *rest in rows:
        if month is not None:
            period = Period.of_month(_day(month))
        elif quarter is not None:
            period = Period.of_quarter(_day(quarter))
        else:
            period = year
        if period in wanted:
            result.append(
                (period, tuple(rest[:width]), dict(zip(measures, rest[width:], strict=True)))
            )
    return result


def per_group(found, single, keys=1):
    """``count``'s rows as {((period, group), key): measures}, or {(period, group):
    measures} with ``keys=0``. ``by`` was the group (organisation kind and province, as
    ``base.group_key`` gives it; nothing for one organisation) and then ``keys`` key
    expressions: one is the key itself, several a tuple."""
    width = 0 if single else 2
    result = {}
    for period, values, measured in found:
        group = () if single else (values[0], values[1] or 0)
        rest = values[width:]
        if keys == 0:
            result[(period, group)] = measured
        else:
            result[((period, group), rest[0] if keys == 1 else tuple(rest))] = measured
    return result
