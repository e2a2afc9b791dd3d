"""The views a monitor user can select, and the lines that tie them together.

Data is counted per *group*: an organisation kind and a province (``0`` for organisations
outside any province, the waterschappen). A national user can look at every group, at a
kind, at a province, or at everything; each is a *view*, a sum of groups. Every relation
between views (the whole country is the sum of its provinces and also of its kinds; a
province is the sum of its kinds in that province; ...) is handed to
:func:`monitor.suppression.protect` as a line, for every key of a figure and for its
total, so that no comparison of two views recovers a hidden cell. A griffier or secretaris
sees one view, their own organisation.

The periods are a dimension of the same problem: a layout with ``periods`` (the months,
quarters and the year of one calendar year, ``monitor.selection.Period``) protects every
view of every period at once, with the positions ``((period, view), key)``; a quarter is the
sum of its months and the year the sum of its quarters, for every view and key, so a cell
hidden in March takes cells with it in the first quarter and the year where needed, and no
period published can be subtracted from another to reveal it."""

from dataclasses import dataclass, replace
from datetime import date

from .publication import protect
from .suppression import THRESHOLD

__all__ = ["ALL", "TOTAL", "Layout", "Table", "tabulate"]

ALL = "*"
TOTAL = "__total__"


@dataclass(frozen=True)
class Layout:
    """``groups``: the (kind, province) pairs that exist; ``view``: the selected view;
    ``periods``: the periods of the year's cube (none: the figure has no period
    dimension), ``period`` the selected one."""

    groups: tuple
    view: tuple
    kind: str = ""
    periods: tuple = ()
    period: object = None

    @classmethod
    def single(cls, kind, *, periods=(), period=None):
        """One organisation (of ``kind``): data comes with an empty group key."""
        return cls(groups=((),), view=(), kind=kind, periods=periods, period=period)

    @property
    def is_single(self):
        return self.groups == ((),)

    @property
    def selected(self):
        """The position prefix of what the user selected: (period, view) in a cube."""
        return self.at()

    def at(self, view=None, period=None):
        """The position prefix of ``view`` (default: the selected one) in ``period``
        (default: the selected one)."""
        view = self.view if view is None else view
        if not self.periods:
            return view
        return (self.period if period is None else period, view)

    def flat(self):
        """The same views without the period dimension."""
        return replace(self, periods=(), period=None)

    def plain_views(self):
        if self.is_single:
            return [()]
        kinds = sorted({k for k, _p in self.groups})
        provinces = sorted({p for _k, p in self.groups})
        return [
            (ALL, ALL),
            *((k, ALL) for k in kinds),
            *((ALL, p) for p in provinces),
            *self.groups,
        ]

    def views(self):
        if self.periods:
            return [(p, v) for p in self.periods for v in self.plain_views()]
        return self.plain_views()

    def _plain_members(self, view):
        if self.is_single:
            return [()]
        kind, province = view
        return [g for g in self.groups if kind in (ALL, g[0]) and province in (ALL, g[1])]

    def members(self, view):
        """The groups a view adds up (in a cube: (period, group))."""
        if self.periods:
            period, view = view
            return [(period, g) for g in self._plain_members(view)]
        return self._plain_members(view)

    def kinds_in(self, view):
        if self.periods:
            view = view[1]
        if self.is_single:
            return {self.kind}
        return {g[0] for g in self._plain_members(view)}

    def _view_hierarchy(self):
        if self.is_single:
            return []
        kinds = sorted({k for k, _p in self.groups})
        provinces = sorted({p for _k, p in self.groups})
        relations = [
            ((ALL, ALL), [(k, ALL) for k in kinds]),
            ((ALL, ALL), [(ALL, p) for p in provinces]),
        ]
        for k in kinds:
            relations.append(((k, ALL), [g for g in self.groups if g[0] == k]))
        for p in provinces:
            relations.append(((ALL, p), [g for g in self.groups if g[1] == p]))
        return [(parent, children) for parent, children in relations if len(children) > 1]

    def hierarchy(self):
        """[(parent view, [child views])]: each parent is the sum of its children. In a
        cube: the views' relations in every period, and every period that has parts (a
        quarter, the year) as the sum of them in every view — also a quarter of one month
        so far, which equals that month."""
        relations = self._view_hierarchy()
        if not self.periods:
            return relations
        in_cube = set(self.periods)
        result = [
            ((p, parent), [(p, c) for c in children])
            for p in self.periods
            for parent, children in relations
        ]
        for p in self.periods:
            parts = [c for c in p.parts(date.max) if c in in_cube]
            if parts:
                result.extend(((p, v), [(c, v) for c in parts]) for v in self.plain_views())
        return result


@dataclass
class Table:
    """A protected figure: ``cells[(view, key)]``; ``row(view)`` gives one view's cells."""

    keys: list
    cells: dict
    layout: Layout

    def row(self, view=None):
        view = self.layout.selected if view is None else view
        keys = [k for k in self.keys if (view, k) in self.cells]
        return [(k, self.cells[(view, k)]) for k in keys], self.cells[(view, TOTAL)]

    def totals(self):
        return {view: self.cells[(view, TOTAL)] for view in self.layout.views()}

    def for_layout(self, layout):
        """The same protected cells, read for another selection of the same cube."""
        return replace(self, layout=layout)


def _always(kind, key):
    return True


def tabulate(
    counts,
    keys,
    layout,
    *,
    totals=None,
    additive=True,
    applies=_always,
    forced=(),
    persons=None,
    total_persons=None,
    subtotals=None,
    subtotal_persons=None,
):
    """Protect one figure.

    ``counts``: {(group, key): n} from one aggregation query; ``totals``: {group: n} when
    the keys do not add up to the population (a melding has several categories), else the
    row sums are the totals. ``applies(kind, key)`` leaves out keys that cannot occur for a
    kind (no Statenlid in a gemeente), so structural zeros are not published as hidden.
    ``forced``: positions hidden by the shared totals decision. ``persons`` and
    ``total_persons`` ({(group, key): n} and {group: n}): how many different people are
    behind the counts, where known; a person belongs to one group, so they add up.
    ``subtotals``: {subtotal key: [keys]} published next to the keys (a quarter of months),
    protected in the same problem; their cells are in ``cells`` but not in ``keys``, and
    ``subtotal_persons`` ({(group, subtotal key): n}) the people behind them."""
    subtotals = subtotals or {}
    views = layout.views()
    values, people = {}, {}
    for view in views:
        groups = layout.members(view)
        kinds = layout.kinds_in(view)
        for key in keys:
            if any(applies(kind, key) for kind in kinds):
                values[(view, key)] = sum(counts.get((g, key), 0) for g in groups)
                if persons is not None:
                    people[(view, key)] = sum(persons.get((g, key), 0) for g in groups)
        if totals is None:
            values[(view, TOTAL)] = sum(values[(view, k)] for k in keys if (view, k) in values)
        else:
            values[(view, TOTAL)] = sum(totals.get(g, 0) for g in groups)
        if total_persons is not None:
            people[(view, TOTAL)] = sum(total_persons.get(g, 0) for g in groups)
        for sub, parts in subtotals.items():
            values[(view, sub)] = sum(values.get((view, k), 0) for k in parts)
            if subtotal_persons is not None:
                people[(view, sub)] = sum(subtotal_persons.get((g, sub), 0) for g in groups)
    lines = []
    for view in views:
        if additive:
            members = [(view, k) for k in keys if (view, k) in values]
            lines.append((members, (view, TOTAL)))
            if subtotals:
                lines.append(([(view, sub) for sub in subtotals], (view, TOTAL)))
        for sub, parts in subtotals.items():
            lines.append(([(view, k) for k in parts if (view, k) in values], (view, sub)))
    for parent, children in layout.hierarchy():
        for key in [*keys, *subtotals, TOTAL]:
            members = [(child, key) for child in children if (child, key) in values]
            if (parent, key) in values and members:
                lines.append((members, (parent, key)))
    forced = set(forced)
    if not additive:
        # The keys do not add up, but none exceeds the total: a visible key within the
        # threshold of a hidden total bounds that total from below as closely (11 threats
        # among 11 meldingen would give the hidden total away), so such a key is hidden.
        for (view, key), n in values.items():
            total = (view, TOTAL)
            if key != TOTAL and total in forced and values[total] - n < THRESHOLD:
                forced.add((view, key))
    cells = protect(values, lines, forced=forced, persons=people)
    return Table(keys=list(keys), cells=cells, layout=layout)
