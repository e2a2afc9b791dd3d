"""Counts for a selection from the summary, in the shapes the live aggregates return.

One statement per figure: the selection's months of one dimension, summed per group (and
month or quarter) and key. Meldingen add up over months and organisations; the people
behind a cell are the distinct keys of its rows' ``people``, which each hold at most the
threshold: so the number is exact below the threshold and the threshold itself above it,
and ``protect`` only ever compares it with the threshold (see ``SummaryCell``). A row
whose ``people`` is full already makes the cell reach the threshold, so only the others'
keys are unnested and counted.

With ``periods`` (a year's cube) the months, the quarters and the year come from the same
statement, grouped ``GROUPING SETS ((month), (quarter), ())``: each quarter's and the
year's people are the distinct keys of its own rows, as over any other run of months."""

from django.db import connection

from ..aggregates.cube import last_month, whole_year
from ..models import SummaryCell, SummaryGroupCell
from ..selection import KINDS, Period
from ..suppression import THRESHOLD

__all__ = ["cells", "cells_of"]

_PER = {
    None: [],
    "month": ["s.month"],
    "quarter": ["date_trunc('quarter', s.month)::date"],
}


_QUARTER = "date_trunc('quarter', s.month)::date"


def cells(selection, dimension, *, per=None, periods=None):
    """({(group, key): meldingen}, {(group, key): people}); with ``per`` "month" or
    "quarter" the key is (key, first day of the month or quarter); with ``periods`` (the
    periods of one year) every one of them at once, keyed ((period, group), key)."""
    return cells_of(selection, [dimension], per=per, periods=periods).get(dimension, ({}, {}))


def cells_of(selection, dimensions, *, per=None, periods=None):
    """{dimension: (counts, people)} as ``cells`` gives them, for several dimensions in one
    statement."""
    cap = THRESHOLD  # the state is read only when built with it
    start, end = selection.start, selection.end
    if periods is not None:
        start, end = whole_year(periods).start, last_month(periods)
    params = [cap, cap, cap, *(str(d) for d in dimensions), start, end]
    if selection.single:
        summary, groups = SummaryCell._meta.db_table, []
        scope = "s.organisation_id = %s AND NOT s.confidential"
        params.append(selection.organisation.pk)
    else:
        summary, groups = SummaryGroupCell._meta.db_table, ["s.kind", "s.province"]
        scope = f"s.kind IN ({', '.join(['%s'] * len(KINDS))})"
        params.extend(str(kind) for kind in KINDS)
    if periods is None:
        columns = ["s.dimension", *groups, *_PER[per], "s.key"]
        grouping = ", ".join(str(i) for i in range(1, len(columns) + 1))
    else:
        columns = ["s.dimension", *groups, "s.month", _QUARTER, "s.key"]
        grouping = (
            f"s.dimension, {''.join(f'{g}, ' for g in groups)}s.key, "
            f"GROUPING SETS ((s.month), ({_QUARTER}), ())"
        )
    wanted = ", ".join(["%s"] * len(dimensions))
    # Only table names, fixed column expressions and placeholders are put in the text;
    # every value is a parameter.
    sql = (
        f"SELECT {', '.join(columns)}, "  # noqa: S608
        f"SUM(s.n) FILTER (WHERE u.ord IS NULL OR u.ord = 1), "
        f"CASE WHEN bool_or(cardinality(s.people) >= %s) THEN %s "
        f"ELSE COUNT(DISTINCT u.p) END "
        f"FROM {summary} s "
        f"LEFT JOIN LATERAL unnest(CASE WHEN cardinality(s.people) < %s THEN s.people END) "
        f"WITH ORDINALITY AS u(p, ord) ON true "
        f"WHERE s.dimension IN ({wanted}) AND s.month >= %s AND s.month <= %s AND {scope} "
        f"GROUP BY {grouping}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if periods is not None:
        return _by_period(rows, len(groups), periods)
    result = {}
    width = len(groups)
    for dimension, *row in rows:
        counts, people = result.setdefault(dimension, ({}, {}))
        group = tuple(row[:width])
        rest = row[width:-2]
        key = rest[-1] if not per else (rest[-1], rest[0])
        counts[(group, key)] = row[-2]
        people[(group, key)] = min(row[-1], THRESHOLD)
    return result


def _by_period(rows, width, periods):
    """The rows of the grouping sets as {dimension: (counts, people)} keyed ((period,
    group), key): a row with a month is that month, with only a quarter that quarter, with
    neither the year."""
    year, wanted = whole_year(periods), set(periods)
    result = {}
    for dimension, *row in rows:
        month, quarter, key, n, people = row[width:]
        if month is not None:
            period = Period.of_month(month)
        elif quarter is not None:
            period = Period.of_quarter(quarter)
        else:
            period = year
        if period not in wanted:
            continue
        counts, persons = result.setdefault(dimension, ({}, {}))
        cell = ((period, tuple(row[:width])), key)
        counts[cell] = n
        persons[cell] = min(people, THRESHOLD)
    return result
