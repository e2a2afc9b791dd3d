"""Statistical disclosure control: no published number may point at a person.

Every count below ``THRESHOLD`` (zero included — showing 0 next to a hidden count would reveal
that the hidden one is at least one), and every count that comes from fewer than ``THRESHOLD``
different people, is *primarily* suppressed. Because totals are
shown too, a hidden cell could be recovered by subtraction; so every linear relation the
pages publish is a *line* (members that add up to a total), and while a line with a
visible total has exactly one hidden member, or its hidden members add up to less than
the threshold (in meldingen, or in people where that is less), the smallest visible member
is hidden as well (*secondary* suppression); so is one of a line whose total
is hidden while every member is visible, for their sum would show the total, and of a
line whose hidden total would be bounded from below within the threshold by its visible
members. This is repeated until no line needs more, across every line of every view that
can be selected, and every period of the year (``monitor.hierarchy``), so that comparing
two filtered views or two periods cannot undo it either.

Every hidden cell is published with one symbol, ``SYMBOL`` ("×", as CBS writes "geheim"),
whether it was small or hidden to protect another: two symbols would tell the attacker
that a secondarily hidden cell is at least the threshold, which bounds the small cells of
its line (docs/monitor.md, finding 4).
"""

import logging
from dataclasses import dataclass

from django.utils.formats import number_format

__all__ = ["SYMBOL", "THRESHOLD", "Cell", "protect"]

logger = logging.getLogger(__name__)

THRESHOLD = 5
SYMBOL = "×"

SHOWN, SMALL, HIDDEN = "shown", "small", "hidden"


@dataclass(frozen=True)
class Cell:
    """One published number. ``value`` stays server-side; templates and exports use
    ``display`` (and ``number``, which is ``None`` whenever the value is not public)."""

    value: int
    state: str = SHOWN

    @property
    def suppressed(self):
        return self.state != SHOWN

    @property
    def number(self):
        return None if self.suppressed else self.value

    @property
    def display(self):
        if self.suppressed:
            return SYMBOL
        return number_format(self.value, force_grouping=True)

    def __str__(self):
        return self.display


def protect(values, lines, forced=(), persons=None, fixed=None, past=()):
    """Decide which positions to hide.

    ``values``: {position: count}; ``lines``: [(members, total_position)], each meaning
    sum(members) == total; ``forced``: positions already hidden by an earlier, shared
    decision (e.g. the totals every figure shows); ``persons``: {position: number of
    different people behind the count} where known — six meldingen of one burgemeester
    are about one person, so such a cell is small too; ``fixed``: {position: state}
    decided at an earlier publication (``monitor.publication``): a fixed hidden cell stays
    hidden, a fixed shown one shown unless it has become small (primary suppression wins),
    and no fixed cell is chosen to protect another while another choice is left. A line
    whose only visible members are fixed hides its total, where that is not fixed;
    otherwise, where a late change has taken away the room of a hidden cell that was not
    shown before, its smallest cell fixed as shown is hidden after all (docs/monitor.md,
    finding 7) — never one of ``past``, positions that stand for what an earlier
    publication showed; and a line whose hidden cells were all shown before is left as it
    was published (and logged). Returns {position: Cell}.
    """
    persons = persons or {}
    fixed = fixed or {}

    def small(pos):
        return values[pos] < THRESHOLD or persons.get(pos, THRESHOLD) < THRESHOLD

    def weight(pos):
        """What a hidden cell protects: its count, or fewer people if that is less."""
        return min(values[pos], persons.get(pos, values[pos]))

    state = {pos: (SMALL if small(pos) else SHOWN) for pos in values}
    for pos in forced:
        if state.get(pos) == SHOWN:
            state[pos] = HIDDEN
    for pos, was in fixed.items():
        if state.get(pos) == SHOWN and was != SHOWN:
            state[pos] = HIDDEN
    lines_of = {}
    for index, (members, total) in enumerate(lines):
        for pos in members:
            lines_of.setdefault(pos, []).append(index)
        # A cell hidden as a member of one line may be the total of another, whose members
        # must then be looked at again (all of them visible would add up to it).
        lines_of.setdefault(total, []).append(index)
    todo = set(range(len(lines)))
    unprotected = set()
    while todo:
        index = todo.pop()
        members, total = lines[index]
        hidden = [pos for pos in members if state[pos] != SHOWN]
        total_hidden = state[total] != SHOWN
        if not hidden and not total_hidden:
            continue
        # A hidden total is the sum of its members: while they are all visible it is not
        # hidden at all (a month table of one month shows its total as its row). And it is
        # at least the sum of its visible members: unless the hidden ones can give way by
        # the threshold, the total is bounded from below that closely, and with it the
        # small cells of every other line it hides in (the national total of the gemeenten
        # pinned by one large visible gender row would pin the provincies' small one).
        if sum(weight(pos) for pos in hidden) >= THRESHOLD and (len(hidden) > 1 or total_hidden):
            continue
        visible = [pos for pos in members if state[pos] == SHOWN and pos not in fixed]
        if not visible:
            if state[total] == SHOWN and total not in fixed:
                # Nothing left to hide among the members (a quarter of one month in the
                # period is that month): the total goes instead.
                state[total] = HIDDEN
                todo.update(lines_of.get(total, ()))
                continue
            # Only fixed cells are left to hide. If a hidden cell of the line was secret
            # at its first publication too, a late change (a melding withdrawn or
            # corrected) took its room away: the shown cells' values tell the attacker
            # the hidden ones' new sum. Hiding a cell shown before gives away its earlier
            # value, known anyway, but not the change.
            secret = [
                pos for pos in [*hidden, total] if state[pos] != SHOWN and fixed.get(pos) != SHOWN
            ]
            again = [pos for pos in [*members, total] if state[pos] == SHOWN and pos not in past]
            if secret and again:
                members_first = [pos for pos in again if pos != total] or again
                chosen = min(members_first, key=lambda pos: (values[pos], repr(pos)))
                state[chosen] = HIDDEN
                todo.add(index)
                todo.update(lines_of.get(chosen, ()))
            elif any(state[pos] == SHOWN for pos in [*members, total]):
                unprotected.add(index)  # only cells shown before were left to hide
            continue
        smallest = min(visible, key=lambda pos: (values[pos], repr(pos)))
        state[smallest] = HIDDEN
        todo.add(index)
        todo.update(lines_of.get(smallest, ()))
    if unprotected:
        # Every cell that could protect these lines was fixed by an earlier publication
        # and their hidden cells were shown then (a cell of a closed month that became
        # small after a late change): the attacker holds that earlier publication anyway
        # (docs/monitor.md, finding 6).
        logger.warning("monitor: %d lines left as published before", len(unprotected))
    return {pos: Cell(values[pos], state[pos]) for pos in values}
