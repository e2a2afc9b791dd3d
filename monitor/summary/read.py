"""Counts for a selection from the summary, in the shapes the live aggregates return.

One statement per figure: the selection's months of one dimension, summed per group (and
month or quarter) and key. Meldingen add up over months and organisations; the people
behind a cell are the distinct keys of its rows' ``people``, which each hold at most the
threshold: so the number is exact below the threshold and the threshold itself above it,
and ``protect`` only ever compares it with the threshold (see ``SummaryCell``). A row
whose ``people`` is full already makes the cell reach the threshold, so only the others'
keys are unnested and counted."""

from django.db import connection

from ..models import SummaryCell, SummaryGroupCell
from ..selection import KINDS
from ..suppression import THRESHOLD

__all__ = ["cells", "cells_of"]

_PER = {
    None: [],
    "month": ["s.month"],
    "quarter": ["date_trunc('quarter', s.month)::date"],
}


def cells(selection, dimension, *, per=None):
    """({(group, key): meldingen}, {(group, key): people}); with ``per`` "month" or
    "quarter" the key is (key, first day of the month or quarter)."""
    return cells_of(selection, [dimension], per=per).get(dimension, ({}, {}))


def cells_of(selection, dimensions, *, per=None):
    """{dimension: (counts, people)} as ``cells`` gives them, for several dimensions in one
    statement."""
    cap = THRESHOLD  # the state is read only when built with it
    params = [cap, cap, cap, *(str(d) for d in dimensions), selection.start, selection.end]
    if selection.single:
        summary, groups = SummaryCell._meta.db_table, []
        scope = "s.organisation_id = %s AND NOT s.confidential"
        params.append(selection.organisation.pk)
    else:
        summary, groups = SummaryGroupCell._meta.db_table, ["s.kind", "s.province"]
        scope = f"s.kind IN ({', '.join(['%s'] * len(KINDS))})"
        params.extend(str(kind) for kind in KINDS)
    columns = ["s.dimension", *groups, *_PER[per], "s.key"]
    grouping = ", ".join(str(i) for i in range(1, len(columns) + 1))
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
