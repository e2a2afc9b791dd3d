"""The year's cube (docs/monitor.md, finding 2): suppression is decided once per calendar
year over every month, quarter and the year itself, with a quarter the sum of its months
and the year the sum of its quarters as lines; every period a user can ask for is read from
that cube, so no period can be set against another to give a hidden cell back. And one
symbol for every hidden cell (finding 4)."""

from datetime import date

import pytest

from monitor.hierarchy import ALL, TOTAL, Layout, tabulate
from monitor.report import build, session
from monitor.selection import MONTH, QUARTER, Period, Selection
from monitor.suppression import HIDDEN, SHOWN, SMALL, SYMBOL, THRESHOLD, Cell

from .conftest import PERIOD
from .factories import at, melding

Q1 = Period(2026, QUARTER, 1)
Q2 = Period(2026, QUARTER, 2)
JAN, FEB, MAR, APR = (Period(2026, MONTH, m) for m in (1, 2, 3, 4))
YEAR = Period(2026)


def cube(today):
    return Layout.single("gemeente", periods=YEAR.cube(today), period=YEAR)


def table_lines(table):
    """Every relation of a one-way cube table: the keys and their total where they add
    up, and the layout's lines (views and periods) for every key."""
    cells, layout = table.cells, table.layout
    lines = []
    for view in layout.views():
        members = [(view, k) for k in table.keys if (view, k) in cells]
        lines.append((members, (view, TOTAL)))
    for parent, children in layout.hierarchy():
        for key in [*table.keys, TOTAL]:
            members = [(c, key) for c in children if (c, key) in cells]
            if (parent, key) in cells and members:
                lines.append((members, (parent, key)))
    return lines


def recoverable(table):
    """Lines an attacker can subtract with: a shown total with hidden members worth less
    than the threshold (or one), or a hidden total whose members are all shown."""
    found = []
    for members, total in table_lines(table):
        hidden = [m for m in members if table.cells[m].suppressed]
        if table.cells[total].suppressed:
            if members and not hidden:
                found.append((total, "hidden total is the sum of shown cells"))
            continue
        if hidden and (len(hidden) == 1 or sum(table.cells[m].value for m in hidden) < THRESHOLD):
            found.append((total, members))
    return found


def test_the_cube_of_a_year_so_far_has_its_ended_months_and_their_quarters():
    """The running month is not published (docs/monitor.md, finding 6): on 10 April the
    cube holds January–March; on 10 May April too, and the second quarter of April so far."""
    assert YEAR.cube(date(2026, 4, 10)) == (JAN, FEB, MAR, Q1, YEAR)
    assert YEAR.cube(date(2026, 1, 20)) == ()
    assert YEAR.cube(date(2026, 5, 10)) == (JAN, FEB, MAR, APR, Q1, Q2, YEAR)
    assert Period(2025).cube(date(2026, 4, 10))[-3:] == (
        Period(2025, QUARTER, 3),
        Period(2025, QUARTER, 4),
        Period(2025),
    )
    relations = dict(cube(date(2026, 5, 10)).hierarchy())
    assert relations[(Q1, ())] == [(JAN, ()), (FEB, ()), (MAR, ())]
    # A quarter of one month so far is that month: a line all the same.
    assert relations[(Q2, ())] == [(APR, ())]
    assert relations[(YEAR, ())] == [(Q1, ()), (Q2, ())]


def test_a_month_hidden_takes_a_cell_with_it_in_the_quarter():
    """March's 2 threats are small. Shown next to January's and February's 10 and the
    quarter's 22, March would be 22 - 10 - 10: another cell of the threats in the first
    quarter goes with it."""
    layout = cube(date(2026, 4, 1))
    counts = {
        ((JAN, ()), "threat"): 10,
        ((FEB, ()), "threat"): 10,
        ((MAR, ()), "threat"): 2,
        **{((m, ()), "verbal"): 8 for m in (JAN, FEB, MAR)},
    }
    counts.update(
        {
            ((p, ()), key): sum(counts[((m, ()), key)] for m in (JAN, FEB, MAR))
            for p in (Q1, YEAR)
            for key in ("threat", "verbal")
        }
    )
    table = tabulate(counts, ["threat", "verbal"], layout)
    cells = table.cells
    assert cells[((MAR, ()), "threat")].state == SMALL
    quarter_line = [cells[((p, ()), "threat")] for p in (JAN, FEB, MAR, Q1)]
    assert sum(c.state == HIDDEN for c in quarter_line) >= 1
    assert recoverable(table) == []


def test_a_quarter_of_one_hidden_month_is_hidden_too_and_so_is_what_gives_it_back():
    """In May the second quarter is April so far: April's small count may not stand as
    the quarter's, nor be the year minus the first quarter."""
    layout = cube(date(2026, 5, 10))
    months = {JAN: 9, FEB: 9, MAR: 9, APR: 3}
    counts = {((m, ()), "n"): n for m, n in months.items()}
    counts[((Q1, ()), "n")] = 27
    counts[((Q2, ()), "n")] = 3
    counts[((YEAR, ()), "n")] = 30
    table = tabulate(counts, ["n"], layout)
    assert table.cells[((APR, ()), "n")].state == SMALL
    assert table.cells[((Q2, ()), "n")].suppressed
    assert table.cells[((Q1, ()), "n")].suppressed or table.cells[((YEAR, ()), "n")].suppressed
    assert recoverable(table) == []


def test_views_and_periods_are_protected_together():
    """Two groups, each a province: the country is their sum in every period, and each
    period the sum of its parts in every view."""
    groups = (("gemeente", 1), ("gemeente", 2))
    layout = Layout(
        groups=groups, view=(ALL, ALL), periods=YEAR.cube(date(2026, 4, 5)), period=YEAR
    )
    values = {JAN: (12, 1), FEB: (12, 9), MAR: (0, 9)}
    counts = {}
    for p, pair in values.items():
        for g, n in zip(groups, pair, strict=True):
            counts[((p, g), "n")] = n
    for p in (Q1, YEAR):
        for i, g in enumerate(groups):
            counts[((p, g), "n")] = sum(pair[i] for pair in values.values())
    table = tabulate(counts, ["n"], layout)
    assert recoverable(table) == []
    assert table.cells[((JAN, ("gemeente", 2)), "n")].suppressed


@pytest.fixture
def quarterly(gemeente_a, frozen):
    """Utrecht: 6 meldingen in each month of January–May 2026, 2 in June (the time is
    frozen in June: June is the running month)."""
    for month in (1, 2, 3, 4, 5):
        for i in range(6):
            melding(gemeente_a, at(2026, month, 2 + i))
    for i in range(2):
        melding(gemeente_a, at(2026, 6, 2 + i))


def test_the_quarter_is_the_sum_of_its_published_months_and_the_same_cell_everywhere(
    quarterly, gemeente_a
):
    with session():
        quarter = build(Selection(Q1, organisation=gemeente_a))
        year = build(Selection(YEAR, organisation=gemeente_a))
        march = build(Selection(MAR, organisation=gemeente_a))
        second = build(Selection(Q2, organisation=gemeente_a))
    months = quarter.figure("meldingen-per-maand")
    assert [r.values[0].display for r in months.rows] == ["6", "6", "6"]
    assert months.total.values[0].display == "18"
    assert sum(r.values[0].value for r in months.rows) == months.total.values[0].value
    # The year's quarter row is the quarter's own total, the very same cell.
    per_quarter = year.figure("meldingen-per-kwartaal")
    assert per_quarter.rows[0].values[0] is months.total.values[0]
    # March on the year's page is March's own total.
    year_months = year.figure("meldingen-per-maand")
    assert year_months.rows[2].values[0] is march.figure("meldingen-per-maand").total.values[0]
    # June is running: not published, and not counted in the second quarter or the year
    # (docs/monitor.md, finding 6); the page says why.
    months = second.figure("meldingen-per-maand")
    assert [r.values[0].display for r in months.rows] == ["6", "6"]
    assert months.total.values[0].display == "12"
    assert year_months.total.values[0].display == "30"
    assert second.running == Period(2026, MONTH, 6) and march.running is None


def test_every_hidden_cell_has_one_symbol(data, analyst, client_for):
    page = client_for(analyst).get("/monitor/", PERIOD).content.decode()
    assert "&lt; 5" not in page and SYMBOL in page
    # Small or hidden to protect another: the same symbol.
    assert Cell(3, SMALL).display == Cell(30, HIDDEN).display == SYMBOL
    assert Cell(30, SHOWN).display == "30"
    csv = client_for(analyst).get("/monitor/meldingen-per-kanaal.csv", PERIOD)
    text = csv.content.decode("utf-8-sig")
    assert "< 5" not in text and f"{SYMBOL} = afgeschermd" in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"jaar": "2026"}, YEAR),
        ({"jaar": "2026", "kwartaal": "1"}, Q1),
        ({"jaar": "2026", "maand": "3"}, MAR),
        ({"jaar": "2026", "kwartaal": "1", "maand": "3"}, MAR),
    ],
)
def test_the_form_offers_a_year_a_quarter_or_a_month(query, expected, frozen):
    from monitor.filters import MonitorFilter

    assert MonitorFilter(query).selection().period == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"jaar": "2026", "kwartaal": "2", "maand": "3"}, "maand"),
        ({"jaar": "2026", "kwartaal": "3"}, "kwartaal"),
        ({"jaar": "2026", "maand": "7"}, "maand"),
    ],
)
def test_a_month_outside_the_quarter_or_a_period_not_begun_is_refused(query, field, frozen):
    from monitor.filters import MonitorFilter

    filterset = MonitorFilter(query)
    assert not filterset.is_valid() and field in filterset.form.errors


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ({"van": "2026-03", "tot": "2026-03"}, "jaar=2026&maand=3"),
        ({"van": "2026-04", "tot": "2026-05"}, "jaar=2026&kwartaal=2"),
        ({"van": "2026-03", "tot": "2026-04"}, "jaar=2026"),
        ({"van": "2025-11", "tot": "2026-02"}, "jaar=2026"),
    ],
)
def test_an_old_address_with_a_run_of_months_leads_to_the_fixed_period_holding_it(
    old, new, analyst, client_for, frozen
):
    client = client_for(analyst)
    response = client.get("/monitor/", {**old, "soort": "gemeente"})
    assert response.status_code == 302
    assert response.url == f"/monitor/?soort=gemeente&{new}"
    page = client.get(response.url).content.decode()
    assert "alleen vaste perioden" in page
    assert client.get("/monitor/rapport.pdf", old).status_code == 302


def test_the_running_month_is_not_shown_and_the_page_says_why(data, analyst, client_for):
    """15 June: June's figures are not published; the page says why, the year shows the
    months that have ended."""
    client = client_for(analyst)
    page = client.get("/monitor/", {"jaar": "2026", "maand": "6"}).content.decode()
    assert "De cijfers van juni 2026 staan hier nog niet" in page
    assert "Kies een andere selectie" not in page
    year = client.get("/monitor/", PERIOD)
    assert "De cijfers van juni 2026 staan hier nog niet" in year.content.decode()
    assert not year.context["monitor"].empty
