"""Meldingen per 100 office holders (issue 23): the denominator is the office holders with a
membership in force, said on the page; a rate is shown only where its count is, so a
published denominator never gives a hidden count back."""

import pytest

from monitor.report import build
from monitor.selection import Period, Selection
from weerbaar.constants import Position, Role

from ..factories import make_user
from .factories import at, melding

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(gemeente_a, frozen):
    """Utrecht: 12 raadsleden of whom 6 report once; 5 wethouders who all report once."""
    raadsleden = [make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID) for _ in range(12)]
    wethouders = [make_user(Role.OFFICE_HOLDER, gemeente_a, Position.WETHOUDER) for _ in range(5)]
    for user in raadsleden[:6]:
        melding(gemeente_a, at(2026, 6, 5), reporter=user)
    for user in wethouders:
        melding(gemeente_a, at(2026, 6, 5), reporter=user, position="wethouder")


def rates(organisation):
    # The year: June alone would be its quarter's figure (April and May had none), and the
    # quarter the year's, so both are hidden with the year's cube.
    selection = Selection(Period(2026), organisation=organisation)
    return build(selection).figure("meldingen-per-100-ambtsdragers")


def test_rate_per_hundred_office_holders_with_the_denominator_named(council, gemeente_a):
    figure = rates(gemeente_a)
    rows = {r.key: [v.display for v in r.values] for r in figure.rows}
    assert rows["raadslid"] == ["6", "12", "50,0"]
    assert "lopend lidmaatschap in het portaal op 15 juni 2026" in str(figure.description)


def test_no_rate_where_the_count_is_hidden(council, gemeente_a):
    rows = {r.key: r.values for r in rates(gemeente_a).rows}
    count, holders, rate = rows["wethouder"]
    # 5 wethouders reported, but beside the zero burgemeesters and civil servants the 5
    # would give the zeros back: the count is hidden, and so is its rate.
    assert count.suppressed and holders.display == "5"
    assert rate.suppressed and rate.display == "–"
    assert rows["burgemeester"][2].suppressed
