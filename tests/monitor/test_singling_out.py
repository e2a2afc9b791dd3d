"""Attempts to single out a person must fail: the only wethouder of a small gemeente, seen
by their own griffier and by an analyst who narrows and compares the national views."""

import pytest

from monitor.suppression import HIDDEN, SMALL, THRESHOLD
from weerbaar.constants import Role
from weerbaar.models import Organisation

from .conftest import PERIOD
from .factories import at, melding

pytestmark = pytest.mark.django_db


@pytest.fixture
def vlieland(organisations, frozen):
    """Vlieland: six meldingen of raadsleden and one of its only wethouder. Elsewhere in
    Fryslân and the country: enough meldingen for the larger views to be published."""
    org = Organisation.objects.get(code="GM0096")
    for i in range(6):
        melding(org, at(2026, 3, 2 + i))
    melding(
        org, at(2026, 4, 2), position="wethouder", channel="at_home", categories=("home_visit",)
    )
    leeuwarden = Organisation.objects.get(code="GM0080")
    for i in range(9):
        melding(leeuwarden, at(2026, 3, 2 + i), position="wethouder")
    for i in range(12):
        melding(Organisation.objects.get(code="GM0344"), at(2026, 4, 2 + i), position="wethouder")
    for i in range(7):
        melding(Organisation.objects.get(code="GM0014"), at(2026, 4, 2 + i), position="wethouder")
    return org


def line_is_safe(values, total):
    """The line cannot be undone: nothing hidden, or at least two hidden cells that add
    up to at least the threshold (the server knows the true values)."""
    if total.suppressed:
        return True
    hidden = [c for c in values if c.suppressed]
    if not hidden:
        return True
    return len(hidden) >= 2 and sum(c.value for c in hidden) >= THRESHOLD


def test_griffier_of_vlieland_cannot_tell_whether_the_wethouder_reported(
    vlieland, user_factory, client_for
):
    client = client_for(user_factory(Role.GRIFFIER, vlieland))
    monitor = client.get("/monitor/", PERIOD).context["monitor"]
    rows = {r.key: r.values[0] for r in monitor.figure("meldingen-per-functie").rows}
    assert rows["wethouder"].state == SMALL
    assert rows["burgemeester"].state == SMALL
    # 7 in all, 6 raadsleden: subtracting would give the wethouder's 1; so 6 is hidden too.
    assert rows["raadslid"].state == HIDDEN
    for slug in ("meldingen-per-functie", "meldingen-per-kanaal", "meldingen-per-maand"):
        figure = monitor.figure(slug)
        assert line_is_safe([r.values[0] for r in figure.rows], figure.total.values[0])
    assert "statenlid" not in rows  # no structural zeros for a gemeente
    categories = {r.key: r.values[0] for r in monitor.figure("meldingen-per-categorie").rows}
    assert categories["home_visit"].state == SMALL


def test_analyst_cannot_isolate_vlieland_by_comparing_views(vlieland, analyst, client_for):
    """The analyst cannot pick a gemeente; comparing the national view with every
    province view (and kind views) for the wethouder count gives nothing back."""
    client = client_for(analyst)
    provinces = Organisation.objects.filter(kind="provincie")

    def wethouders(params):
        monitor = client.get("/monitor/", {**PERIOD, **params}).context["monitor"]
        figure = monitor.figure("meldingen-per-functie")
        return {r.key: r.values[0] for r in figure.rows}.get("wethouder")

    national = wethouders({})
    assert national.display == "29"
    per_province = [wethouders({"provincie": p.pk}) for p in provinces]
    per_province.append(wethouders({"soort": "waterschap"}))
    assert line_is_safe([c for c in per_province if c is not None], national)
    friesland = wethouders({"provincie": Organisation.objects.get(code="PV21").pk})
    # Leeuwarden's 9 and Vlieland's 1 together, never apart; Groningen's 7 is hidden,
    # because the empty provinces add up to less than 5.
    assert friesland.display == "10"


def test_filters_are_no_finer_than_kind_province_and_a_fixed_period(
    analyst, client_for, organisations
):
    form = client_for(analyst).get("/monitor/").context["filter"].form
    assert set(form.fields) == {"jaar", "kwartaal", "maand", "soort", "provincie"}
    assert [c for c, _label in form.fields["kwartaal"].choices] == ["", "1", "2", "3", "4"]


def test_many_meldingen_of_one_burgemeester_still_count_as_one_person(
    organisations, frozen, user_factory, client_for
):
    """Six meldingen, all from Vlieland's burgemeester, next to six raadsleden: a count of
    6 would tell the griffier that the burgemeester reported six times, so the cell is
    "< 5" (fewer than five people), and the raadsleden's 6 is hidden with it."""
    org = Organisation.objects.get(code="GM0096")
    burgemeester = user_factory(Role.OFFICE_HOLDER, org, "burgemeester")
    for i in range(6):
        melding(org, at(2026, 3, 2 + i), position="burgemeester", reporter=burgemeester)
        melding(org, at(2026, 4, 2 + i))
    client = client_for(user_factory(Role.GRIFFIER, org))
    monitor = client.get("/monitor/", PERIOD).context["monitor"]
    rows = {r.key: r.values[0] for r in monitor.figure("meldingen-per-functie").rows}
    assert rows["burgemeester"].state == SMALL
    assert rows["raadslid"].state == HIDDEN
    months = {r.key.number: r.values[0] for r in monitor.figure("meldingen-per-maand").rows}
    assert months[3].state == SMALL  # March: six meldingen, one person
