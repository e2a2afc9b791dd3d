"""Helpers shared by the section builders: labels, the year's cube (every aggregation for
every period at once, computed once per build), the shared totals decision and the one-column count
figure."""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.utils.translation import gettext_lazy as _

from .. import publication
from ..figures import Figure, Row
from ..hierarchy import TOTAL, tabulate

__all__ = [
    "MEMO",
    "count_figure",
    "forced_totals",
    "memoised",
    "month_label",
    "per_period",
    "protected_totals",
    "session",
]

TOTAL_LABEL = _("Totaal")


def month_label(month):
    from ..selection import Period

    return Period.of_month(month).short_label


# The year's cube is decided once and every period and view of that year is read from it;
# within one ``report.build`` (or a ``session`` of several) it is also computed once.
MEMO = ContextVar("monitor_memo", default=None)


@contextmanager
def session():
    """Keep the cubes computed while the block runs: builds of several periods and views
    of one year then read the very same protected cells."""
    if MEMO.get() is not None:
        yield
        return
    token = MEMO.set({})
    try:
        yield
    finally:
        MEMO.reset(token)


def memoised(name, keyed=0):
    """Computed once per year's cube — scope, groups and periods, not the selected period
    or view — and the first ``keyed`` further arguments (the others are the same in every
    call). A protected table that comes back is re-read for the caller's selection. The
    tables it protects are named after it (``monitor.publication``): their closed periods'
    states are kept as first published."""

    def wrap(function):
        @wraps(function)
        def memo_call(selection, layout, *args):
            memo = MEMO.get()
            if memo is None:
                return function(selection, layout, *args)
            key = (name, selection.organisation, layout.groups, layout.periods, *args[:keyed])
            if key not in memo:
                # Its tables keep the states of closed periods once published.
                label = name + "".join(f"({a!r})" for a in args[:keyed])
                with publication.table(selection.organisation, label, memo):
                    memo[key] = function(selection, layout, *args)
            return _rebind(memo[key], layout)

        return memo_call

    return wrap


def _rebind(result, layout):
    if isinstance(result, tuple):
        return tuple(_rebind(r, layout) for r in result)
    if hasattr(result, "for_layout"):
        return result.for_layout(layout)
    return result


def per_period(function, selection, layout, *args, **kwargs):
    """An aggregation (``{(group, key): n}``, or a tuple of such dicts) for every period
    of the cube, keyed ``((period, group), key)``: counted in one statement (the
    aggregation's ``periods``, ``monitor.aggregates.cube``), the months, quarters and the
    year each over its own rows."""
    return function(selection, *args, periods=layout.periods, **kwargs)


def protected_totals(totals, layout, people=None):
    """Protect the per-group totals once; every figure over the same population then
    starts from these hidden totals, so no two figures disagree about a total."""
    return tabulate(
        {(g, "n"): n for g, n in totals.items()},
        ["n"],
        layout,
        persons=None if people is None else {(g, "n"): n for g, n in people.items()},
        total_persons=people,
    )


def forced_totals(table):
    return {pos for pos, cell in table.cells.items() if pos[1] == TOTAL and cell.suppressed}


def period_rows(table, periods, layout, labels=None):
    """One row per period of the cube: the total cell of ``table`` for the selected view in
    each (the months of a year, the quarters of a year)."""
    return [
        Row(
            (labels or {}).get(p, p.short_label),
            [table.cells[(layout.at(period=p), TOTAL)]],
            p,
        )
        for p in periods
    ]


def count_figure(table, labels, *, slug, title, description, key_header, column, **kwargs):
    """A figure of one count per key, in the order of ``labels`` ({key: label}), with the
    total row when the keys add up."""
    cells, total = table.row()
    show_total = kwargs.pop("show_total", True)
    rows = [Row(labels.get(key, str(key)), [cell], key) for key, cell in cells]
    return Figure(
        slug=slug,
        title=title,
        description=description,
        key_header=key_header,
        columns=[column],
        rows=rows,
        total=Row(TOTAL_LABEL, [total]) if show_total else None,
        **kwargs,
    )
