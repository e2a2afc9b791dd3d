"""Meldingen per 100 office holders (issue 23): per organisation the denominator is its
number of seats from the reference table where known, else the office holders with a
membership in force; each row says which was used. A rate is shown only where its count
is, so a published denominator never gives a hidden count back."""

import pytest
import time_machine
from django.core.management import call_command

from monitor.report import build
from monitor.selection import Period, Selection
from weerbaar.constants import Position, Role, SeatSource
from weerbaar.models import Organisation, SeatCount

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


def seats(organisation, position, number):
    SeatCount.objects.create(
        organisation=organisation,
        position=position,
        seats=number,
        source=SeatSource.ORGANISATION,
        reference_date=at(2026, 3, 30).date(),
    )


def rates(**selection):
    # The year: June alone would be its quarter's figure (April and May had none), and the
    # quarter the year's, so both are hidden with the year's cube. Read on 2 July: the
    # running month is not published (docs/monitor.md, finding 6).
    with time_machine.travel(at(2026, 7, 2), tick=False):
        monitor = build(Selection(Period(2026), **selection))
    return monitor.figure("meldingen-per-100-ambtsdragers")


def shown(figure):
    return {r.key: [v.display for v in r.values] for r in figure.rows}


def test_rate_per_hundred_members_in_the_portal_where_no_seats_are_known(council, gemeente_a):
    figure = rates(organisation=gemeente_a)
    assert shown(figure)["raadslid"] == ["6", "12", "50,0", "leden in het portaal"]
    assert "lopend lidmaatschap in het portaal op 1 juli 2026" in str(figure.description)
    assert "zetels uit de referentietabel" in str(figure.description)


def test_rate_per_hundred_seats_from_the_reference_table_where_known(council, gemeente_a):
    seats(gemeente_a, Position.RAADSLID, 45)
    assert shown(rates(organisation=gemeente_a))["raadslid"] == [
        "6",
        "45",
        "13,3",
        "zetels (referentie)",
    ]


def test_loaded_reference_seats_are_the_burgemeester_denominator(council, gemeente_a):
    call_command("load_seats", stdout=open("/dev/null", "w"))  # noqa: SIM115
    count, holders, rate, basis = rates(organisation=gemeente_a).rows[0].values
    assert (holders.display, basis.display) == ("1", "zetels (referentie)")
    # No burgemeester reported: the zero is hidden beside the published counts, and so is
    # its rate, though its denominator (one burgemeester) is public.
    assert count.suppressed and rate.suppressed


def test_a_national_row_says_how_many_organisations_had_seats_and_how_many_members(
    council, gemeente_a, gemeente_b
):
    seats(gemeente_a, Position.RAADSLID, 45)
    make_user(Role.OFFICE_HOLDER, gemeente_b, Position.RAADSLID)
    gemeenten = Organisation.objects.filter(kind="gemeente", is_active=True).count()
    row = shown(rates(kind="gemeente"))["raadslid"]
    # Utrecht's 45 seats (its 12 members no longer count) and Groningen's one member.
    assert row[1] == "46"
    assert row[3] == (
        f"gemengd: zetels van 1 organisatie, leden in het portaal van {gemeenten - 1}"
    )


def test_no_rate_where_the_count_is_hidden_whatever_the_denominator(council, gemeente_a):
    seats(gemeente_a, Position.WETHOUDER, 5)
    rows = {r.key: r.values for r in rates(organisation=gemeente_a).rows}
    count, holders, rate, basis = rows["wethouder"]
    # 5 wethouders reported, but beside the zero burgemeesters and civil servants the 5
    # would give the zeros back: the count is hidden, and so is its rate, also where its
    # denominator is the college's public number of seats.
    assert count.suppressed and holders.display == "5" and basis.display == "zetels (referentie)"
    assert rate.suppressed and rate.display == "–"
    assert rows["burgemeester"][2].suppressed


VIEWS = [{"kind": ""}, {"kind": "gemeente"}, {"kind": "provincie"}, {"kind": "waterschap"}]


@pytest.mark.parametrize("with_seats", [False, True])
def test_every_published_rate_stands_beside_its_published_count(
    council, gemeente_a, gemeente_b, provincie, with_seats
):
    """Whatever the denominator, in every view: a rate is published exactly when its count
    is, and it is that count per 100 of the published denominator, so the rate tells
    nothing the count and the denominator do not."""
    if with_seats:
        call_command("load_seats", stdout=open("/dev/null", "w"))  # noqa: SIM115
        seats(gemeente_a, Position.RAADSLID, 45)
    for user in [make_user(Role.OFFICE_HOLDER, gemeente_b, Position.RAADSLID) for _ in range(7)]:
        melding(gemeente_b, at(2026, 4, 5), reporter=user)
    for view in [*VIEWS, {"organisation": gemeente_a}, {"province": provincie}]:
        for row in rates(**view).rows:
            count, holders, rate, _basis = row.values
            assert rate.suppressed == (count.suppressed or not holders.number), (view, row)
            if not rate.suppressed:
                assert rate.number == pytest.approx(100 * count.value / holders.number)
