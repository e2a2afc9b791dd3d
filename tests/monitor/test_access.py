"""Who sees which figures: the analyst the country, a griffier or secretaris only their
own organisation (still protected), everyone else nothing."""

from datetime import timedelta

import pytest

from weerbaar.constants import Role
from weerbaar.models import Organisation

from .conftest import PERIOD
from .factories import at, melding

pytestmark = pytest.mark.django_db


def total(response, slug="meldingen-per-maand"):
    return response.context["monitor"].figure(slug).total.values[0].display


@pytest.mark.parametrize("role", [Role.GRIFFIER, Role.SECRETARIS])
def test_griffier_and_secretaris_see_only_their_own_organisation(
    data, gemeente_a, role, user_factory, client_for
):
    client = client_for(user_factory(role, gemeente_a))
    response = client.get("/monitor/", PERIOD)
    assert response.status_code == 200
    assert total(response) == "11"  # Utrecht's 11, not the national 19
    assert response.context["monitor"].figure("meldingen-per-provincie") is None
    assert "Cijfers van Utrecht" in response.content.decode()


def test_griffier_cannot_widen_the_view_with_filters(data, gemeente_b, client_for, user_factory):
    """Groningen's griffier asks for the province of Utrecht and all gemeenten: the filters
    do not exist for them, the figures stay Groningen's (8)."""
    client = client_for(user_factory(Role.GRIFFIER, gemeente_b))
    utrecht = Organisation.objects.get(code="PV26")
    response = client.get("/monitor/", {**PERIOD, "provincie": utrecht.pk, "soort": "gemeente"})
    assert total(response) == "8"
    assert "provincie" not in response.context["filter"].form.fields


def test_confidential_meldingen_stay_out_of_the_organisations_own_figures(
    gemeente_a, frozen, client_for, user_factory, analyst
):
    for i in range(6):
        melding(gemeente_a, at(2026, 3, 2 + i))
    melding(gemeente_a, at(2026, 3, 10), confidential=True)
    griffier = client_for(user_factory(Role.GRIFFIER, gemeente_a))
    assert total(griffier.get("/monitor/", PERIOD)) == "6"
    assert total(client_for(analyst).get("/monitor/", PERIOD)) == "7"


@pytest.mark.parametrize(
    ("role", "org"),
    [
        (Role.OFFICE_HOLDER, "GM0344"),
        (Role.CIVIL_SERVANT, "GM0344"),
        (Role.VOORZITTER, "GM0344"),
        (Role.VW_INTAKE, "BZK"),
        (Role.BVA, "BZK"),
        (Role.VERTROUWENSPERSOON, "OTWB"),
    ],
)
def test_everyone_else_is_refused_every_monitor_url(data, role, org, user_factory, client_for):
    kwargs = {"position": "wethouder"} if role == Role.OFFICE_HOLDER else {}
    client = client_for(user_factory(role, Organisation.objects.get(code=org), **kwargs))
    for url in ("/monitor/", "/monitor/rapport.pdf", "/monitor/meldingen-per-maand.csv"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Meldingen per maand" not in response.content.decode()


def test_anonymous_visitor_is_sent_to_login(db, client):
    response = client.get("/monitor/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_monitor_is_on_the_home_page_of_analyst_and_griffier_only(
    griffier_a, analyst, gemeente_a, user_factory, client_for
):
    assert b"/monitor/" in client_for(analyst).get("/").content
    assert b"/monitor/" in client_for(griffier_a).get("/").content
    raadslid = user_factory(Role.OFFICE_HOLDER, gemeente_a)
    assert b"/monitor/" not in client_for(raadslid).get("/").content


def test_an_analyst_who_is_also_griffier_sees_national_figures_as_analyst(
    data, analyst, gemeente_a, client_for
):
    from tests.factories import MembershipFactory

    MembershipFactory(user=analyst, organisation=gemeente_a, role=Role.GRIFFIER)
    analyst.__dict__.pop("active_memberships", None)
    assert total(client_for(analyst).get("/monitor/", PERIOD)) == "19"


def test_time_to_acknowledgement_is_hidden_over_fewer_than_five(
    gemeente_a, frozen, client_for, user_factory
):
    for i in range(3):
        melding(gemeente_a, at(2026, 3, 2 + i), ack_after=timedelta(hours=1 + i))
    client = client_for(user_factory(Role.GRIFFIER, gemeente_a))
    figure = (
        client.get("/monitor/", PERIOD).context["monitor"].figure("meldingen-ontvangstbevestiging")
    )
    assert [row.values[0].display for row in figure.rows] == ["–", "–"]
