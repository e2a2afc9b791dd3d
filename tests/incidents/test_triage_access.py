"""The triage dashboard and its CSV export are for roles that triage (issue 18 §4).

Before, a raadslid or ambtenaar opened /meldingen/triage/ and the export and got a 200 with
an empty list and an empty CSV: a page that suggests nothing was reported anywhere, and an
export that was audited as if it were a real one. Now a role without triage gets a 403 with
a Dutch explanation and sees no link to either; triagers keep their 200, and a melding
outside one's scope still answers 404."""

import pytest
from django.urls import reverse

from incidents.routing import TRIAGE_ROLES
from weerbaar.constants import AuditAction, Position, Role
from weerbaar.models import AuditEvent

from ..factories import make_user
from .factories import make_melding
from .helpers import case_url

pytestmark = pytest.mark.django_db

TRIAGE_URLS = ["incidents:dashboard", "incidents:export_form", "incidents:export"]


@pytest.fixture
def reporters(gemeente_a, raadslid_a, wethouder_a, ambtenaar_a):
    return [raadslid_a, wethouder_a, ambtenaar_a]


@pytest.mark.parametrize("url_name", TRIAGE_URLS)
def test_reporter_roles_get_403_in_dutch_on_dashboard_and_export(
    client_for, reporters, raadslid_a, url_name
):
    make_melding(raadslid_a)
    for reporter in reporters:
        response = client_for(reporter).get(reverse(url_name))
        assert response.status_code == 403, (reporter, url_name)
        html = response.content.decode()
        assert "U heeft geen toegang tot deze pagina" in html
        assert "Kenmerk" not in html  # no CSV header, no list
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize(
    "role, org_fixture",
    [(Role.ANALYST, "bzk"), (Role.FUNCTIONEEL_BEHEERDER, "bzk"), (Role.VW_INTAKE, "bzk")],
)
def test_other_roles_without_triage_get_403(client_for, request, role, org_fixture):
    user = make_user(role, request.getfixturevalue(org_fixture))
    for url_name in TRIAGE_URLS:
        assert client_for(user).get(reverse(url_name)).status_code == 403


def test_triagers_still_get_the_dashboard_and_export(
    client_for, raadslid_a, griffier_a, secretaris_a, voorzitter_a, vertrouwenspersoon
):
    make_melding(raadslid_a)
    for user in (griffier_a, secretaris_a, voorzitter_a, vertrouwenspersoon):
        for url_name in TRIAGE_URLS:
            assert client_for(user).get(reverse(url_name)).status_code == 200, (user, url_name)


def test_raadslid_who_is_also_griffier_elsewhere_keeps_the_dashboard(
    client_for, gemeente_a, gemeente_b
):
    from tests.factories import MembershipFactory

    user = make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    MembershipFactory(user=user, organisation=gemeente_b, role=Role.GRIFFIER)
    assert client_for(user).get(reverse("incidents:dashboard")).status_code == 200


def test_reporters_see_no_link_to_the_dashboard_or_export(client_for, raadslid_a, ambtenaar_a):
    melding = make_melding(raadslid_a)
    links = [reverse(name) for name in TRIAGE_URLS]
    for user, pages in [
        (raadslid_a, [reverse("home"), reverse("incidents:mine"), case_url(melding)]),
        (ambtenaar_a, [reverse("home"), reverse("incidents:mine")]),
    ]:
        client = client_for(user)
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, page
            html = response.content.decode()
            assert not any(f'href="{link}' in html for link in links), page


def test_home_links_to_the_dashboard_exactly_for_triage_roles():
    from django.apps import apps

    sections = [
        s for s in apps.get_app_config("incidents").home_sections if s.url_name.endswith("board")
    ]
    assert [s.roles for s in sections] == [TRIAGE_ROLES]
    assert Role.OFFICE_HOLDER not in TRIAGE_ROLES and Role.CIVIL_SERVANT not in TRIAGE_ROLES


def test_a_triager_still_gets_404_for_a_melding_outside_scope(client_for, raadslid_b, griffier_a):
    melding = make_melding(raadslid_b)
    assert client_for(griffier_a).get(case_url(melding)).status_code == 404
