"""Suppression on its own: small cells hidden, and no total gives a hidden cell back."""

from hypothesis import given
from hypothesis import strategies as st

from monitor.hierarchy import ALL, TOTAL, Layout, tabulate
from monitor.suppression import HIDDEN, SMALL, SYMBOL, THRESHOLD, protect


def line(values):
    cells = dict(enumerate(values))
    cells["total"] = sum(values)
    return protect(cells, [(list(range(len(values))), "total")])


def recoverable(cells, members, total):
    """What an attacker learns from one line: the exact value of a hidden member when it
    is the only one hidden, or a hidden sum under the threshold."""
    if cells[total].suppressed:
        return False
    hidden = [m for m in members if cells[m].suppressed]
    if not hidden:
        return False
    rest = cells[total].value - sum(cells[m].value for m in members if not cells[m].suppressed)
    return len(hidden) == 1 or rest < THRESHOLD


def test_cells_under_five_including_zero_are_shown_as_under_five():
    cells = line([12, 0, 3, 9, 20])
    assert cells[1].state == SMALL
    assert cells[2].state == SMALL
    assert cells[4].display == "20"
    assert cells["total"].display == "44"


def test_one_hidden_cell_next_to_a_total_takes_the_next_smallest_with_it():
    cells = line([12, 3, 9, 20])
    assert cells[1].state == SMALL
    assert cells[2].state == HIDDEN
    assert cells[0].display == "12"
    # The subtraction attack: 44 - 12 - 20 = 12, the sum of two cells, not the 3.
    assert not recoverable(cells, [0, 1, 2, 3], "total")


def test_hidden_cells_that_add_up_to_less_than_five_are_not_enough():
    # Two hidden cells of 1 and 0: the total minus the rest would say "1 between them".
    cells = line([1, 0, 30, 6])
    assert cells[3].state == HIDDEN
    assert cells[3].value - 0 >= THRESHOLD
    assert not recoverable(cells, [0, 1, 2, 3], "total")


def test_a_small_total_is_itself_hidden():
    cells = line([1, 2, 1])
    assert cells["total"].state == SMALL


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=2, max_size=12))
def test_no_line_ever_gives_a_hidden_cell_back(values):
    cells = line(values)
    assert not recoverable(cells, list(range(len(values))), "total")
    for i, n in enumerate(values):
        if n < THRESHOLD:
            assert cells[i].suppressed


GROUPS = (("gemeente", 1), ("gemeente", 2), ("gemeente", 3), ("provincie", 1))


@given(
    st.lists(st.integers(min_value=0, max_value=15), min_size=12, max_size=12),
)
def test_comparing_filtered_views_gives_no_hidden_cell_back(numbers):
    """Every view (national, per kind, per province, per kind and province) with every
    key: wherever one view is the sum of others, the sum cannot be undone."""
    keys = ["a", "b", "c"]
    counts = {(g, k): numbers[i * 3 + j] for i, g in enumerate(GROUPS) for j, k in enumerate(keys)}
    layout = Layout(groups=GROUPS, view=(ALL, ALL))
    table = tabulate(counts, keys, layout)
    cells = table.cells
    for view in layout.views():
        assert not recoverable(cells, [(view, k) for k in keys], (view, TOTAL))
    for parent, children in layout.hierarchy():
        for key in [*keys, TOTAL]:
            assert not recoverable(cells, [(c, key) for c in children], (parent, key))


def test_a_hidden_total_is_not_shown_as_the_sum_of_its_visible_members():
    """A total hidden by the shared decision (here: the national total of a month) must
    not reappear as its only row (the month table of that one month): found by the
    interval audit."""
    cells = protect({"march": 11, "total": 11}, [(["march"], "total")], forced=["total"])
    assert cells["total"].state == HIDDEN
    assert cells["march"].state == HIDDEN
    cells = protect({"a": 6, "b": 7, "total": 13}, [(["a", "b"], "total")], forced=["total"])
    assert [cells[k].display for k in ("a", "b", "total")] == [SYMBOL, "7", SYMBOL]
    assert [cells[k].state for k in ("a", "total")] == [HIDDEN, HIDDEN]


def test_a_cell_hidden_as_a_member_opens_again_the_line_it_is_the_total_of():
    """``a`` is the total of its own line (c + d) and a member of another; hidden for the
    second after the first was looked at, its line must be looked at again, or c + d
    would show it."""
    values = {"c": 5, "d": 6, "a": 11, "b": 2, "total": 13}
    cells = protect(values, [(["c", "d"], "a"), (["a", "b"], "total")])
    assert cells["b"].state == SMALL
    assert cells["a"].state == HIDDEN
    assert cells["c"].suppressed or cells["d"].suppressed


def test_a_hidden_total_keeps_room_below_it():
    """A hidden total is at least the sum of its visible members. One gender row of 11
    next to three rows of 0 would pin the hidden total of 11 (and with it the "< 5" it
    protects elsewhere); the hidden members must be able to give way by the threshold,
    so the large row is hidden too."""
    values = {"onbekend": 11, "vrouw": 0, "man": 0, "anders": 0, "total": 11}
    cells = protect(values, [(["onbekend", "vrouw", "man", "anders"], "total")], forced=["total"])
    assert cells["onbekend"].state == HIDDEN
    values = {"onbekend": 11, "vrouw": 6, "man": 0, "total": 17}
    cells = protect(values, [(["onbekend", "vrouw", "man"], "total")], forced=["total"])
    assert not cells["onbekend"].suppressed  # vrouw (6) and man may give way: enough


def test_a_line_of_one_hidden_member_hides_its_total():
    """A quarter of which only one month lies in the period is that month."""
    cells = protect({"march": 8, "q1": 8}, [(["march"], "q1")], forced=["march"])
    assert cells["q1"].state == HIDDEN


def test_a_key_near_a_hidden_total_is_hidden_where_keys_do_not_add_up():
    """Categories do not add up, but none exceeds the total: 11 threats among 11 meldingen
    would give the hidden total away."""
    layout = Layout(groups=(("gemeente", 1),), view=("gemeente", 1))
    view = ("gemeente", 1)
    counts = {(("gemeente", 1), "threat"): 11, (("gemeente", 1), "verbal"): 5}
    table = tabulate(
        counts,
        ["threat", "verbal"],
        layout,
        totals={("gemeente", 1): 11},
        additive=False,
        forced={(v, TOTAL) for v in layout.views()},
    )
    assert table.cells[(view, "threat")].state == HIDDEN
    assert table.cells[(view, "verbal")].display == "5"
