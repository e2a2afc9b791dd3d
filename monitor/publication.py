"""Decisions kept once published (docs/monitor.md, finding 6).

The year's cube is protected anew at every moment it is read: it grows by a month, and
late changes (a melding withdrawn) alter past months. Decided anew each time, the states of
a closed month's cells could differ from one release to the next, and an attacker who kept
the page of 1 April could set it against the later ones. So the states (shown or hidden) of
the cells of a *closed* period — a month that has ended, a quarter or a year all of whose
months have — are stored the first time they are published, one ``Publication`` per scope,
table and period, and every later cube takes them as given (``suppression.protect``'s
``fixed``): hidden stays hidden, shown stays shown unless the cell has become small
(primary suppression wins), and new secondary suppressions are chosen only among the cells
not yet fixed — those of the running quarter and year, and of a month published for the
first time.

A table is named by the memoised computation it belongs to (``report.common.memoised``:
its name and keyed arguments) and its rank among the tables protected there, e.g.
``yes_no('aangifte')#1``; a renamed computation or a reordered table starts afresh (its
closed periods are decided anew once, from the current data). Tables protected outside a
memoised computation, and tables without periods (the tour's cumulative months), are not
kept.

Who stores: the build of a page, report, CSV or PDF that publishes a closed period first
(insert if absent, then read back what is stored, so two requests at once agree on the
one that was written first).
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from . import suppression

__all__ = ["Publication", "protect", "table"]

NATIONAL = "national"


class Publication(models.Model):
    """The states of one protected table's cells in one closed period, as first published.
    ``states``: {repr((view, key)): "shown" or "hidden"}; values are not stored."""

    scope = models.CharField(max_length=40)
    table = models.CharField(max_length=120)
    period = models.CharField(max_length=20)
    states = models.JSONField()
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "monitor"
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "table", "period"], name="monitor_publication_once"
            )
        ]

    def __str__(self):
        return f"{self.scope} {self.table} {self.period}"


@dataclass
class _Frame:
    scope: str
    name: str
    cache: dict
    count: int = 0


CURRENT = ContextVar("monitor_publication", default=None)


def scope_of(organisation):
    return NATIONAL if organisation is None else f"organisation:{organisation.pk}"


@contextmanager
def table(organisation, name, cache):
    """Tables protected while the block runs belong to ``name`` in the scope of
    ``organisation`` (None: national); ``cache``: a dict living as long as the build (the
    stored states of a scope and year are read once per build)."""
    token = CURRENT.set(_Frame(scope_of(organisation), name, cache))
    try:
        yield
    finally:
        CURRENT.reset(token)


@contextmanager
def unnamed():
    """Tables protected while the block runs are not kept (not part of a named table)."""
    token = CURRENT.set(None)
    try:
        yield
    finally:
        CURRENT.reset(token)


def _split(pos):
    """(period, the rest of the position) of a cube's position, or (None, None)."""
    from .selection import Period  # the selection imports the hierarchy, which imports this

    view, key = pos
    if isinstance(view, tuple) and len(view) == 2 and isinstance(view[0], Period):
        return view[0], repr((view[1], key))
    return None, None


def _load(frame, name, year, reload=False):
    """{period code: states} stored for table ``name`` in ``year``: a closed period's
    code, or ``Q@M`` for a quarter or year Q as published while month M was the last
    counted. One query per scope and year in a build (and one after storing)."""
    key = ("publications", frame.scope, year)
    if reload or key not in frame.cache:
        found = {}
        rows = Publication.objects.filter(scope=frame.scope, period__startswith=str(year))
        for table, period, states in rows.values_list("table", "period", "states"):
            found.setdefault(table, {})[period] = states
        frame.cache[key] = found
    return frame.cache[key].get(name, {})


def protect(values, lines, forced=(), persons=None):
    """``suppression.protect`` with the states of closed periods' cells as first published
    (stored now if this is their first publication), and with what the running quarter and
    year showed at earlier moments (see ``_earlier``)."""
    frame = CURRENT.get()
    if frame is None:
        return suppression.protect(values, lines, forced=forced, persons=persons)
    from .selection import MONTH

    frame.count += 1
    name = f"{frame.name}#{frame.count}"
    today = timezone.localdate()
    where = {pos: _split(pos) for pos in values}
    periods = {p for p, _rest in where.values() if p is not None}
    months = sorted(p for p in periods if p.kind == MONTH)
    wholes = [p for p in periods if p.kind != MONTH]
    if not months:
        return suppression.protect(values, lines, forced=forced, persons=persons)
    last = months[-1]
    closed = {p.code: p for p in periods if p.closed(today)}
    running = [p for p in periods if not p.closed(today)]
    now = {f"{p.code}@{last.code}": p for p in running}
    for _attempt in range(3):
        stored = _load(frame, name, last.year, reload=_attempt > 0)
        fixed = {}
        for pos, (period, rest) in where.items():
            if period is None:
                continue
            code = period.code if period.code in closed else f"{period.code}@{last.code}"
            if rest in stored.get(code, {}):
                fixed[pos] = stored[code][rest]
        extra, extra_lines = _earlier(values, where, stored, wholes, months, last, fixed)
        cells = suppression.protect(
            {**values, **extra},
            [*lines, *extra_lines],
            forced=forced,
            persons=persons,
            fixed=fixed,
            past=extra.keys(),
        )
        for pos in extra:
            del cells[pos]
        new = {c: p for c, p in {**closed, **now}.items() if c not in stored}
        if not new:
            return cells
        states = {code: {} for code in new}
        for pos, (period, rest) in where.items():
            if period is None:
                continue
            code = period.code if period.code in closed else f"{period.code}@{last.code}"
            if code in states:
                shown = cells[pos].state == suppression.SHOWN
                states[code][rest] = suppression.SHOWN if shown else suppression.HIDDEN
        Publication.objects.bulk_create(
            [Publication(scope=frame.scope, table=name, period=c, states=states[c]) for c in new],
            ignore_conflicts=True,
        )
        # Read back: what another request stored first is what was published.
    return cells


def _earlier(values, where, stored, wholes, months, last, fixed):
    """What a quarter or year showed at an earlier moment, while it was running and month
    ``k`` was the last counted, is known to whoever kept that page: now it is that figure
    plus the months since, so for every cell a line [earlier cell, months after k] → the
    cell now, with the earlier cell fixed as it was published. Its value is the cell's
    now less those months (the counts of a period are the sums of its months'). Without
    it, the year shown on 15 May (January–April) and on 1 June (January–May) would give
    May's small count by subtraction."""
    extra, extra_lines = {}, []
    by_rest = {}
    for pos, (period, rest) in where.items():
        if period is not None:
            by_rest[(period, rest)] = pos
    for period in wholes:
        inside = [m for m in months if m.start >= period.start and m.end <= period.end]
        for k in inside:
            if k == last:
                continue
            states = stored.get(f"{period.code}@{k.code}")
            if states is None:
                continue
            after = [m for m in inside if m > k]
            for (p, rest), pos in by_rest.items():
                if p != period or rest not in states:
                    continue
                view, key = pos
                parts = [by_rest[(m, rest)] for m in after if (m, rest) in by_rest]
                earlier = (("earlier", period.code, k.code, view[1]), key)
                extra[earlier] = max(0, values[pos] - sum(values[m] for m in parts))
                fixed[earlier] = states[rest]
                extra_lines.append(([earlier, *parts], pos))
    return extra, extra_lines
