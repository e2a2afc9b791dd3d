"""Per quarter (issue 23): hand-counted shares and medians, and the protection: a quarter
is shown only when its months are, the aangifte counts keep the follow-up figure's total, a
share or median never shows where its count does not, and no line of the yes/no tables
gives a hidden cell back in any view."""

from datetime import timedelta

import pytest
import time_machine

from incidents.constants import AangifteStatus
from incidents.models import Melding
from monitor.hierarchy import TOTAL
from monitor.report import build, groups
from monitor.report.meldingen import in_time_table, shared_totals, yes_no_table
from monitor.selection import Period, Selection

from .factories import at, melding
from .test_gender_tables import small_shown
from .test_year_cube import recoverable

pytestmark = pytest.mark.django_db


def _melding(org, when, *, in_time, aangifte=False, closed_after=None):
    m = melding(
        org,
        when,
        ack_after=timedelta(hours=2 if in_time else 10),
        aangifte=AangifteStatus.FILED if aangifte else None,
    )
    update = {"ack_deadline": when + timedelta(hours=4)}
    if closed_after is not None:
        update["closed_at"] = when + closed_after
    Melding.objects.filter(pk=m.pk).update(**update)


@pytest.fixture
def half_year(gemeente_a, gemeente_b, frozen):
    """Utrecht, 6 meldingen a month January–June 2026.
    Q1: 12 acknowledged in time (2 h), 6 late (10 h); 9 with aangifte; 6 closed after 4 days.
    Q2: 6 in time, 12 late; 6 with aangifte; 3 closed after 5 days.
    Groningen: 2 meldingen in May (small everywhere)."""
    for month in (1, 2, 3):
        for i in range(6):
            _melding(
                gemeente_a,
                at(2026, month, 2 + i),
                in_time=(month < 3),
                aangifte=i % 2 == 0,
                closed_after=timedelta(days=4) if month == 1 else None,
            )
    for month in (4, 5, 6):
        for i in range(6):
            _melding(
                gemeente_a,
                at(2026, month, 2 + i),
                in_time=month == 4,
                aangifte=i < 2,
                closed_after=timedelta(days=5) if month == 4 and i < 3 else None,
            )
    for i in range(2):
        _melding(gemeente_b, at(2026, 5, 3 + i), in_time=True)


def quarter_figure(**kwargs):
    """Read on 2 July, when June has ended (the running month is not published)."""
    selection = Selection(Period(2026), **kwargs)
    with time_machine.travel(at(2026, 7, 2), tick=False):
        return build(selection).figure("meldingen-per-kwartaal")


def test_hand_counted_shares_and_medians_for_one_gemeente(half_year, gemeente_a):
    figure = quarter_figure(organisation=gemeente_a)
    rows = {r.label: [v.display for v in r.values] for r in figure.rows}
    assert rows["K1 2026"] == ["18", "9", "50,0%", "12", "66,7%", "2,0 uur", "4,0 dagen"]
    # Only three closed in Q2: too few for a median.
    assert rows["K2 2026"] == ["18", "6", "33,3%", "6", "33,3%", "10,0 uur", "–"]
    assert [v.display for v in figure.total.values][:3] == ["36", "15", "41,7%"]


@pytest.mark.parametrize("kind", ["", "gemeente"])
def test_quarter_tables_leak_nothing_in_any_view(half_year, kind):
    selection = Selection(Period(2026), kind=kind)
    layout = selection.layout(groups())
    shared = shared_totals(selection, layout)[3]
    for table in (yes_no_table(selection, layout, "aangifte"), in_time_table(selection, layout)):
        assert small_shown(table) == [] and recoverable(table) == []
        for view in layout.views():
            # The split's total is the quarter's (month's, year's) shared total itself.
            assert table.cells[(view, TOTAL)].suppressed == shared.cells[(view, TOTAL)].suppressed


def test_no_share_or_median_where_the_count_is_hidden(half_year, gemeente_b):
    # The province of Groningen: two meldingen in May, none before: every quarter is small,
    # so no share and no median may stand beside it.
    figure = quarter_figure(province=gemeente_b.province)
    assert figure.rows
    for row in figure.rows:
        count, _aangifte, aangifte_share, _in_time, in_time_share, ack, close = row.values
        assert count.suppressed
        assert all(v.display == "–" for v in (aangifte_share, in_time_share, ack, close))
