"""Two-way tables (gender × position, gender × online) protected as one problem.

A two-way table publishes more relations than a list: every row adds up to its row total,
every column to its column total, and the totals to the grand total, in every view (the
country, each kind, each province, each group), and across views each cell is the sum of
the same cell in the views below. All of those are lines for
:func:`monitor.suppression.protect`.

Two things the one-dimensional :func:`monitor.hierarchy.tabulate` does not need:

* **Pinned cells.** A row or column total that another figure already publishes (the meldingen per
  position) must carry exactly that figure's decision: hidden where it is hidden, shown
  where it is shown. Its hidden cells are forced hidden here, it is never a member of a
  line here (its own lines belong to the figure that publishes it), so ``protect`` cannot
  change it, and the published cell is that figure's own.
* **A hidden total is not safe by itself**: when every member of its line is shown, their
  sum *is* the total. ``protect`` hides one of them as well, also when the total was hidden
  only as a member of another line, so one call protects the whole table.
"""

from dataclasses import dataclass, replace

from . import hierarchy
from .hierarchy import TOTAL

__all__ = ["CrossTable", "crosstab"]


@dataclass
class CrossTable:
    """``cells[(view, key)]``: key ``("cell", row, column)``, ``("row", row)``,
    ``("column", column)`` or ``TOTAL``."""

    rows: list
    columns: list
    cells: dict
    layout: object

    def columns_in(self, view=None):
        view = self.layout.selected if view is None else view
        return [c for c in self.columns if (view, ("column", c)) in self.cells]

    def cell(self, row, column, view=None):
        view = self.layout.selected if view is None else view
        return self.cells[(view, ("cell", row, column))]

    def row_total(self, row, view=None):
        view = self.layout.selected if view is None else view
        return self.cells[(view, ("row", row))]

    def column_total(self, column, view=None):
        view = self.layout.selected if view is None else view
        return self.cells[(view, ("column", column))]

    def total(self, view=None):
        view = self.layout.selected if view is None else view
        return self.cells[(view, TOTAL)]

    def for_layout(self, layout):
        return replace(self, layout=layout)


def _always(kind, column):
    return True


def crosstab(
    counts,
    persons,
    rows,
    columns,
    layout,
    *,
    row_counts,
    row_persons,
    shared,
    pinned_columns=None,
    pinned_rows=None,
    applies=_always,
):
    """Protect one two-way table.

    ``counts``/``persons``: {(group, (row, column)): n}; ``row_counts``/``row_persons``:
    {(group, row): n}, the row totals counted directly (a person is counted once in a row);
    ``shared``: the protected totals every meldingen figure shares (its ``TOTAL`` cells are
    published and pinned); ``pinned_columns``/``pinned_rows``: a ``Table`` (anything with
    ``cells[(view, key)]``) that already publishes the column or row totals (None: they are
    this table's own)."""
    views = layout.views()
    values, people, pinned = {}, {}, {}
    for view in views:
        groups = layout.members(view)
        kinds = layout.kinds_in(view)
        cols = [c for c in columns if any(applies(k, c) for k in kinds)]
        for r in rows:
            for c in cols:
                key = (view, ("cell", r, c))
                values[key] = sum(counts.get((g, (r, c)), 0) for g in groups)
                people[key] = sum(persons.get((g, (r, c)), 0) for g in groups)
            values[(view, ("row", r))] = sum(row_counts.get((g, r), 0) for g in groups)
            people[(view, ("row", r))] = sum(row_persons.get((g, r), 0) for g in groups)
            if pinned_rows is not None:
                pinned[(view, ("row", r))] = pinned_rows.cells[(view, r)]
        for c in cols:
            key = (view, ("column", c))
            values[key] = sum(values[(view, ("cell", r, c))] for r in rows)
            people[key] = sum(people[(view, ("cell", r, c))] for r in rows)
            if pinned_columns is not None:
                pinned[key] = pinned_columns.cells[(view, c)]
        values[(view, TOTAL)] = shared.cells[(view, TOTAL)].value
        pinned[(view, TOTAL)] = shared.cells[(view, TOTAL)]
    for pos in pinned:
        people.pop(pos, None)  # its own figure decided whether it is small
    lines = _lines(values, rows, columns, views, layout, pinned)
    forced = {pos for pos, cell in pinned.items() if cell.suppressed}
    # Through ``hierarchy.protect``: the one place every table of the monitor is protected.
    cells = hierarchy.protect(values, lines, forced=forced, persons=people)
    # ``protect`` never hides a pinned cell (it is no line's member here) and its value is
    # the other figure's; the published cell is that figure's own in any case, also if a
    # melding arrived between the two queries.
    cells.update(pinned)
    return CrossTable(rows=list(rows), columns=list(columns), cells=cells, layout=layout)


def _lines(values, rows, columns, views, layout, pinned):
    lines = []
    for view in views:
        cols = [c for c in columns if (view, ("column", c)) in values]
        for r in rows:
            lines.append(([(view, ("cell", r, c)) for c in cols], (view, ("row", r))))
        for c in cols:
            lines.append(([(view, ("cell", r, c)) for r in rows], (view, ("column", c))))
        row_totals = [(view, ("row", r)) for r in rows]
        if not any(pos in pinned for pos in row_totals):
            lines.append((row_totals, (view, TOTAL)))
        column_totals = [(view, ("column", c)) for c in cols]
        if not any(pos in pinned for pos in column_totals):
            lines.append((column_totals, (view, TOTAL)))
    keys = {pos[1] for pos in values}
    for parent, children in layout.hierarchy():
        for key in keys:
            if (parent, key) in pinned:
                continue  # settled by the figure that publishes it
            members = [(child, key) for child in children if (child, key) in values]
            if (parent, key) in values and members:
                lines.append((members, (parent, key)))
    return lines
