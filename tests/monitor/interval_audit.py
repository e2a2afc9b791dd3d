"""An interval audit of the monitor's suppression, as statistical offices audit a table
(tau-Argus): publish every table an attacker can request, then for every hidden cell ask a
linear program for the smallest and the largest value consistent with everything
published. docs/monitor.md describes the attacker model; in short:

* **What is published.** Every table is captured where it is protected: each call of
  ``monitor.suppression.protect`` made while building the monitor (``report.build``), so a
  table added later — another dimension, another section — is audited without a change
  here. A table is named by the line of code that asked for it. Every cell a figure shows
  must be one of these protected cells (checked), and every cell of a protected table that
  is not hidden counts as published, also where no figure happens to show it (the
  attacker is given more than the page shows, never less).
* **What the attacker knows.** The published values; the symbol "×" of every hidden cell,
  which says nothing about its size (small or hidden to protect another, the attacker
  cannot tell); counts are not negative. The relations: every line a table is protected
  with (a total is the sum of its members, a province the sum of its kinds, ...); the same
  count over a quarter is the sum of it over its months and over the year the sum over its
  quarters (derived here from the periods in the cells' positions, wherever that holds for
  a table in the data: for the distinct applications behind the Veilig Wonen costs it need
  not); tables with the same totals count the same population (linked wherever the
  totals agree in every view and period); a key never exceeds its table's total where no
  key does; an organisation's own figures never exceed those of its group in the national
  tables. All tables of every audited scope (national and each audited organisation) form
  one system: an analyst, and a griffier who also reads the national report, and the
  griffiers of different organisations comparing notes.
* **What must hold.** For each hidden cell the interval [lo, hi] of whole numbers
  consistent with all of that (lo rounded up and hi down from the linear programs' optima)
  must hold at least ``THRESHOLD`` whole numbers: hi - lo >= THRESHOLD - 1. That is what
  "< 5" by itself tells (0, 1, 2, 3 or 4, five possibilities); an interval with fewer
  possibilities means the rest of the publication told the attacker more than the symbol.
  An attacker's own meldingen are lower bounds they know (``own``): the interval may then
  shrink by what they themselves contributed to the cell, no more.
"""

import inspect
import math
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations, pairwise
from pathlib import Path
from unittest import mock

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from monitor import hierarchy, report
from monitor.hierarchy import TOTAL
from monitor.selection import KINDS, MONTH, QUARTER, Period, Selection
from monitor.suppression import SHOWN, THRESHOLD, Cell
from weerbaar.models import Organisation

__all__ = ["Audit", "Finding"]

ROOT = Path(__file__).resolve().parents[2]
EXACT_LIMIT = 40  # exact intervals of failing cells computed before reporting the rest
WITNESSES = 6  # tables with random objectives, before a program per cell
ROUNDS = 40  # programs that push the cells still too narrow, some at once
PUSHED = 25  # cells pushed by one such program (about; more compete for the same lines)
SKIP = {"crosstab.py", "hierarchy.py", "suppression.py", Path(__file__).name}
# Figures left out of the audit, by slug. Empty: the gender tables (crosstab) and the
# quarters are recorded like every table since crosstab protects with one call of
# ``hierarchy.protect`` and the quarters are subtotals in the month table.
NOT_YET = set()


def _parts(period, kind):
    """The months of a quarter, or the quarters of a year."""
    if kind == MONTH:
        return [Period.of_month(m) for m in period.months]
    return [Period(period.year, QUARTER, q) for q in range(1, 5)]


@dataclass
class Protected:
    table: str
    values: dict
    lines: list
    persons: dict
    cells: dict


@contextmanager
def recording():
    """Capture every protected table while the block runs."""
    tables, seen = [], defaultdict(int)
    inner = hierarchy.protect  # the real one, or a test's deliberately weakened one

    def protect(values, lines, forced=(), persons=None):
        frame = inspect.currentframe().f_back
        while Path(frame.f_code.co_filename).name in SKIP:
            frame = frame.f_back
        site = f"{Path(frame.f_code.co_filename).relative_to(ROOT)}:{frame.f_lineno}"
        seen[site] += 1
        cells = inner(values, lines, forced=forced, persons=persons)
        tables.append(
            Protected(f"{site}#{seen[site]}", dict(values), list(lines), dict(persons or {}), cells)
        )
        return cells

    with mock.patch.object(hierarchy, "protect", protect):
        yield tables, seen


@dataclass
class Finding:
    var: tuple
    value: int
    state: str
    lo: float
    hi: float
    own: int = 0
    solved: bool = True  # False: [lo, hi] is only what the witnesses reached

    def __str__(self):
        scope, table, year, pos = self.var
        return (
            f"{table} {year} scope={scope} {pos}: "
            f"{self.state} value {self.value}, own {self.own}, "
            f"consistent with [{self.lo}, {self.hi}]{'' if self.solved else ' at least'}"
        )


@dataclass
class Audit:
    """Collects the publications of several scopes and periods, then solves."""

    truth: dict = field(default_factory=dict)  # var -> true value
    state: dict = field(default_factory=dict)  # var -> SHOWN / SMALL / HIDDEN
    counts_people: set = field(default_factory=set)  # vars whose table counts people there
    lines: set = field(default_factory=set)  # {(members vars, total var)}
    published: set = field(default_factory=set)  # vars some figure shows
    own: dict = field(default_factory=dict)  # var -> attacker's own contribution
    groups: dict = field(default_factory=dict)  # scope -> national group of the organisation
    builds: int = 0
    _solves: int = 0
    _exact: int = 0
    unproven: set = field(default_factory=set)  # failing cells whose interval is not solved
    exempt: set = field(default_factory=set)  # hidden cells an earlier release showed
    extra: list = field(default_factory=list)  # further relations, e.g. between releases
    _known = {}  # the ids of the recorded cells, while the cube is being read (by count)

    # -- publishing ---------------------------------------------------------------------

    def publish(self, year, organisation=None, *, today=None, tag=None, alone=True):
        """Build the monitor as a user gets it for every period of ``year`` (each month,
        quarter and the year itself, as far as begun) — nationally for every kind and
        province that can be selected — and record every protected table of the year's
        cube and which of its cells a figure shows, under ``tag`` (default: the year; a
        release's date in the release audit). The builds share one computation of the
        cube (``report.session``), as the web pages would compute the same one each; that
        they do is checked too (``alone``): one build per period on its own protects every
        table alike."""
        scope = "national" if organisation is None else organisation.pk
        tag = year if tag is None else tag
        periods = Period(year).cube(today)
        if organisation is not None:
            self.groups[scope] = (organisation.kind, organisation.province_id or 0)
            views = [{"organisation": organisation}]
        else:
            provinces = Organisation.objects.filter(pk__in=[p for _k, p in report.groups() if p])
            views = [
                {"kind": kind, "province": province}
                for kind in ["", *KINDS]
                for province in [None, *provinces]
            ]
        shown = set()
        Audit._known = {}
        with report.session(), recording() as (tables, _seen):
            for period in periods:
                for view in views:
                    monitor = report.build(Selection(period, **view))
                    self.builds += 1
                    shown |= self._shown(monitor, tables)
        self.record(scope, tag, tables, shown)
        for period in periods if alone else ():
            with recording() as (tables, _seen):
                report.build(Selection(period, **views[0]))
            self.record(scope, tag, tables, set())

    def record(self, scope, period, tables, shown):
        """Add protected tables (``Protected``) of one scope and period; ``shown``: the ids
        of the cells a figure shows."""
        same = defaultdict(list)  # id of a cell -> the vars it was recorded as
        for t in tables:
            var = lambda pos, t=t: (scope, t.table, period, pos)  # noqa: E731
            for pos, cell in t.cells.items():
                self._set(var(pos), cell.value, cell.state)
                same[id(cell)].append(var(pos))
                if id(cell) in shown:
                    self.published.add(var(pos))
                if pos in t.persons:
                    self.counts_people.add(var(pos))
            for members, total in t.lines:
                self.lines.add((tuple(var(m) for m in members), var(total)))
        # A cell one table pins from another (crosstab) is that cell itself: equal, and its
        # "< 5" may mean "from fewer than 5 people" wherever the table it comes from says so.
        for first, *rest in same.values():
            for other in rest:
                self.lines.add(((other,), first))
            if rest and any(v in self.counts_people for v in (first, *rest)):
                self.counts_people.update((first, *rest))

    def _set(self, var, value, state):
        if var in self.truth:
            # Every selection of a scope and period protects the same tables alike.
            assert (self.truth[var], self.state[var]) == (value, state), var
        self.truth[var], self.state[var] = value, state

    @staticmethod
    def _shown(monitor, tables):
        """The ids of the protected cells the figures show; every count a figure shows
        must be one (by identity), so nothing reaches the page past ``protect``."""
        known = Audit._known.get(len(tables))
        if known is None:
            known = {id(c) for t in tables for c in t.cells.values()}
            Audit._known = {len(tables): known}
        shown = set()
        for figure in monitor.figures():
            if figure.slug in NOT_YET:
                continue
            rows = [*figure.rows, *([figure.total] if figure.total else [])]
            for row in rows:
                for value in row.values:
                    if isinstance(value, Cell):
                        assert id(value) in known, f"{figure.slug}: {row.label} not protected"
                        shown.add(id(value))
        return shown

    def learn_own(self, year, organisation=None, *, only):
        """The attacker's own contributions: the same cube built over ``only`` (a context
        manager that leaves just the attacker's records in the database)."""
        scope = "national" if organisation is None else organisation.pk
        selection = Selection(Period(year), organisation=organisation)
        with only(), recording() as (tables, _seen):
            report.build(selection)
        for t in tables:
            for pos, value in t.values.items():
                if value:
                    self.own[(scope, t.table, year, pos)] = value

    # -- relations ----------------------------------------------------------------------

    def _by_table(self):
        tables = defaultdict(lambda: defaultdict(dict))
        for var in self.truth:
            scope, table, period, pos = var
            tables[(scope, table)][period][pos] = var
        return tables

    def relations(self):
        """[(coefficients {var: c}, sense, rhs)], each true of the data."""
        rows = [({**dict.fromkeys(members, 1), total: -1}, "=", 0) for members, total in self.lines]
        rows.extend(self.extra)
        tables = self._by_table()
        # The same count over a quarter is the sum over its months, over the year the sum
        # over its quarters (where the table adds up so in the data).
        for (_scope, _table), by_year in tables.items():
            extra, holds = [], True
            for cells in by_year.values():
                for pos, var in cells.items():
                    view, key = pos
                    if not (isinstance(view, tuple) and view and isinstance(view[0], Period)):
                        continue  # no period in the position (the tour's months)
                    period, plain = view
                    kind = MONTH if period.kind == QUARTER else QUARTER
                    if period.kind == MONTH:
                        continue
                    parts = [
                        cells[((p, plain), key)]
                        for p in _parts(period, kind)
                        if ((p, plain), key) in cells
                    ]
                    if self.truth[var] != sum(self.truth[p] for p in parts):
                        holds = False
                        break
                    extra.append(({var: 1, **dict.fromkeys(parts, -1)}, "=", 0))
                if not holds:
                    break
            if holds:
                rows.extend(extra)
        # A key never exceeds the total of its table (where that is true of every cell).
        for (_scope, _table), by_period in tables.items():
            extra = []
            for cells in by_period.values():
                for pos, var in cells.items():
                    if pos[1] != TOTAL and (pos[0], TOTAL) in cells:
                        extra.append(({var: 1, cells[(pos[0], TOTAL)]: -1}, "<=", 0))
            if all(self.truth[v] <= self.truth[t] for (c, _s, _r) in extra for v, t in [list(c)]):
                rows.extend(extra)
        # Tables whose totals agree everywhere count the same population.
        totals = {
            key: {
                (p, pos): var
                for p, cells in bp.items()
                for pos, var in cells.items()
                if pos[1] == TOTAL
            }
            for key, bp in tables.items()
        }
        for k1, k2 in combinations(sorted(totals, key=repr), 2):
            if k1[0] != k2[0] or totals[k1].keys() != totals[k2].keys() or not totals[k1]:
                continue
            pairs = [(totals[k1][x], totals[k2][x]) for x in totals[k1]]
            # Two tables of nothing but zeros are no evidence of one population: linking
            # them would tell the attacker what is false in general (the Veilig Wonen
            # advice table, all zero, equal to the applications with executed measures,
            # a table without keys and so a total of 0, pinned every advice cell to 0).
            if not any(self.truth[a] for a, _b in pairs):
                continue
            if all(self.truth[a] == self.truth[b] for a, b in pairs):
                rows.extend(({a: 1, b: -1}, "=", 0) for a, b in pairs)
        # An organisation's own figures are part of its group's national figures.
        for (scope, table), by_period in tables.items():
            if scope not in self.groups or ("national", table) not in tables:
                continue
            national = tables[("national", table)]
            extra = []
            for period, cells in by_period.items():
                for (view, key), var in cells.items():
                    group = (view[0], self.groups[scope]) if view else self.groups[scope]
                    other = national.get(period, {}).get((group, key))
                    if other is not None:
                        extra.append(({var: 1, other: -1}, "<=", 0))
            if all(self.truth[a] <= self.truth[b] for (c, _s, _r) in extra for a, b in [list(c)]):
                rows.extend(extra)
        return rows

    def link_releases(self, releases):
        """Relate the publications of each scope at several moments (``releases``: the
        tags they were recorded with, the dates of publication, in order). The attacker
        keeps every release and sets them side by side. Meldingen of months already
        published change late (withdrawn, deleted, corrected, acknowledged later); the
        attacker does not see those changes, but is granted to know which cells they
        touched and by at most how much: a cell of a period that had ended at a release is
        the same number in every later release where no change touched it, and within the
        size of the changes where one did; a cell of a period still running at least what
        the earlier release showed, less the changes of its months that had ended. A cell
        once shown is known from then on up to those changes: a late change that makes it
        small hides it, but it is no secret (``exempt``). Cells without a period (the
        tour's months) are left unrelated."""
        chains = {}  # (scope, table, pos) -> [(release, var)]
        for var in self.truth:
            scope, table, release, pos = var
            if release in releases:
                chains.setdefault((scope, table, pos), []).append((release, var))
        for (scope, table, pos), seen in chains.items():
            view, key = pos
            if not (isinstance(view, tuple) and view and isinstance(view[0], Period)):
                continue
            period, plain = view
            seen.sort(key=lambda rv: releases.index(rv[0]))
            for (r1, v1), (r2, v2) in pairwise(seen):
                ended = period.end < date(r1.year, r1.month, 1)
                if ended:
                    changed = abs(self.truth[v2] - self.truth[v1])
                    if changed:
                        self.extra.append(({v2: 1, v1: -1}, "<=", changed))
                        self.extra.append(({v1: 1, v2: -1}, "<=", changed))
                    else:
                        self.lines.add(((v2,), v1))
                    if v1 in self.exempt or (self.state[v1] == SHOWN and v1 in self.published):
                        self.exempt.add(v2)
                    continue
                changed = 0  # the size of the changes of its months that had ended at r1
                for month in _parts(period, MONTH) if period.kind != MONTH else ():
                    if month.end >= date(r1.year, r1.month, 1):
                        continue
                    before = (scope, table, r1, ((month, plain), key))
                    after = (scope, table, r2, ((month, plain), key))
                    if before in self.truth and after in self.truth:
                        changed += abs(self.truth[after] - self.truth[before])
                # Where that holds of the table (distinct people need not add up).
                if self.truth[v1] - self.truth[v2] <= changed:
                    self.extra.append(({v1: 1, v2: -1}, "<=", changed))

    # -- solving ------------------------------------------------------------------------

    def bounds(self, var):
        """What the attacker knows of a hidden cell by itself: not negative, and at least
        what they contributed. The one symbol says nothing more (a small count and one
        hidden to protect another look alike)."""
        return self.own.get(var, 0), None

    def solve(self):
        """{var: (lo, hi)} for every hidden cell: the exact interval of whole numbers
        (``hi`` is ``math.inf`` if unbounded) where it is narrower than allowed, otherwise
        an interval the cell is shown to span at least (between consistent tables)."""
        rows = self.relations()
        # Unknown: what is hidden, and what no figure shows.
        hidden = [v for v, s in self.state.items() if s != SHOWN or v not in self.published]
        index = {v: i for i, v in enumerate(hidden)}
        for coefficients, sense, rhs in rows:  # each relation holds of the true values
            lhs = sum(c * self.truth[v] for v, c in coefficients.items())
            assert lhs == rhs if sense == "=" else lhs <= rhs, (coefficients, sense, rhs)
        for v in hidden:  # the true values are one consistent table: a wrong model fails here
            lo, hi = self.bounds(v)
            assert lo <= self.truth[v] and (hi is None or self.truth[v] <= hi), (v, self.state[v])
        parent = list(range(len(hidden)))

        def find(i):
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        reduced = []
        for coefficients, sense, rhs in rows:
            unknown = {}
            for var, c in coefficients.items():
                if var in index:
                    unknown[index[var]] = unknown.get(index[var], 0) + c
                else:
                    rhs -= c * self.truth[var]
            unknown = {i: c for i, c in unknown.items() if c}
            if not unknown:
                assert (rhs == 0) if sense == "=" else (rhs >= 0), (coefficients, rhs)
                continue
            reduced.append((unknown, sense, rhs))
            first, *rest = unknown
            for other in rest:
                parent[find(other)] = find(first)
        components = defaultdict(list)
        for i in range(len(hidden)):
            components[find(i)].append(i)
        constraints = defaultdict(list)
        for row in reduced:
            constraints[find(next(iter(row[0])))].append(row)
        result = {}
        for root, members in components.items():
            result.update(self._solve_component(hidden, members, constraints[root]))
        return result

    def _solve_component(self, hidden, members, rows):
        local = {i: k for k, i in enumerate(members)}
        bounds = [self.bounds(hidden[i]) for i in members]
        if not rows:
            return {
                hidden[i]: (b[0], math.inf if b[1] is None else b[1])
                for i, b in zip(members, bounds, strict=True)
            }
        eq = [r for r in rows if r[1] == "="]
        ub = [r for r in rows if r[1] == "<="]

        def matrix(rs):
            if not rs:
                return None, None
            data, cols, ptr = [], [], [0]
            for unknown, _sense, _rhs in rs:
                for i, c in unknown.items():
                    cols.append(local[i])
                    data.append(c)
                ptr.append(len(cols))
            shape = (len(rs), len(members))
            return csr_matrix((data, cols, ptr), shape=shape), np.array([r[2] for r in rs])

        a_eq, b_eq = matrix(eq)
        a_ub, b_ub = matrix(ub)

        # Witnesses need not be extreme: with a finite cap on every cell their programs
        # are bounded and still give consistent tables.
        cap = max(self.truth.values()) + 10 * THRESHOLD
        capped = [(lo, cap if hi is None else hi) for lo, hi in bounds]

        def optimum(c, bounds=bounds):
            self._solves += 1
            res = linprog(
                c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs"
            )
            if res.status == 3:  # unbounded
                return None
            assert res.status == 0, res.message
            return res.x

        # The true values are one consistent table; every optimum found is another. A cell
        # whose values over these witnesses already span enough needs no program of its
        # own (its interval is at least that wide); the others get two, whose optima are
        # witnesses for the rest in turn.
        low = np.array([self.truth[hidden[i]] for i in members], dtype=float)
        high = low.copy()

        def witness(x):
            np.minimum(low, x, out=low)
            np.maximum(high, x, out=high)

        n = len(members)
        rng = np.random.default_rng(len(members))
        objectives = [np.ones(n), -np.ones(n)]
        objectives += [rng.choice((-1.0, 1.0), n) for _ in range(WITNESSES)]
        for c in objectives:
            x = optimum(c, capped)
            if x is not None:
                witness(x)
        required = np.array(
            [
                THRESHOLD - 1 - self.own.get(hidden[i], 0) if self._secret(hidden[i]) else 0
                for i in members
            ],
            dtype=float,
        )
        # Then push the cells not yet shown to span enough, a few dozen at a time, up and
        # down: one program moves many of them (not all: they compete for the same lines),
        # so few cells are left for programs of their own.
        for _round in range(ROUNDS):
            short = high - low < required - 1e-6
            if not short.any():
                break
            before = (high - low).copy()
            share = min(1.0, PUSHED / short.sum())
            for sign in (-1.0, 1.0):
                c = np.where(short & (rng.random(n) < share), sign, 0.0)
                if not c.any():
                    c = np.where(short, sign, 0.0)
                x = optimum(c, capped)
                if x is not None:
                    witness(x)
            if not (high - low > before + 1e-6).any() and share >= 1.0:
                break
        result = {}
        for k, i in enumerate(members):
            var = hidden[i]
            required = THRESHOLD - 1 - self.own.get(var, 0)
            if not self._secret(var) or high[k] - low[k] >= required:
                result[var] = (math.ceil(low[k] - 1e-6), math.floor(high[k] + 1e-6))
                continue
            if self._exact >= EXACT_LIMIT:
                # Enough exact findings to act on; the rest are reported as not shown safe.
                self.unproven.add(var)
                result[var] = (math.ceil(low[k] - 1e-6), math.floor(high[k] + 1e-6))
                continue
            self._exact += 1
            c = np.zeros(n)
            c[k] = 1
            x = optimum(c)
            witness(x)
            lo = x[k]
            x = optimum(-c)
            if x is None:
                hi = math.inf
            else:
                witness(x)
                hi = x[k]
            result[var] = (math.ceil(lo - 1e-6), hi if hi == math.inf else math.floor(hi + 1e-6))
        return result

    def _secret(self, var):
        """Whether the interval of a hidden cell must hold THRESHOLD values: it is shown
        as "×" and no earlier release showed its value."""
        return var in self.published and var not in self.exempt

    def findings(self):
        """Every hidden cell whose interval holds fewer whole numbers than allowed."""
        found = []
        for var, (lo, hi) in self.solve().items():
            if not self._secret(var):
                continue  # not shown, so not a "×" anyone reads; or shown before
            own = self.own.get(var, 0)
            if hi - lo < THRESHOLD - 1 - own:
                found.append(
                    Finding(
                        var, self.truth[var], self.state[var], lo, hi, own, var not in self.unproven
                    )
                )
        return sorted(found, key=str)

    def hidden_count(self):
        return sum(1 for v in self.published if self.state[v] != SHOWN)
