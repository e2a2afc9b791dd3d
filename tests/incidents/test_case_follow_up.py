"""The case page's follow-up sections (letters, aftercare, perpetrator, aangifte, sharing)
are closed until opened: by a link to the same page with the section open, or by the
page's script fetching the section. The section goes through the same scope and audit as
the page; a refused form comes back open with what was typed; a save returns to it open."""

import pytest
from django.urls import reverse

from incidents.models import AftercareAction
from incidents.views import case_sections
from weerbaar.constants import AuditAction
from weerbaar.models import AuditEvent

from .factories import make_melding
from .helpers import case_url

pytestmark = pytest.mark.django_db

FETCH = {"X-Requested-With": "fetch"}


def section_url(melding, section):
    return reverse("incidents:case_section", args=[melding.pk, section])


def views_by(user, melding):
    return AuditEvent.objects.for_object(melding).filter(action=AuditAction.VIEW, actor=user)


def test_follow_up_sections_are_closed_with_a_link_that_opens_each(
    client_for, raadslid_a, griffier_a
):
    melding = make_melding(raadslid_a)
    page = client_for(griffier_a).get(case_url(melding)).content.decode()
    assert 'name="aangifte-filer"' not in page and 'name="nazorg-kind"' not in page
    for section in case_sections.FOLLOW_UP:
        assert f'id="{section.id}"' in page
        assert f'href="{case_url(melding)}?open={section.id}#{section.id}"' in page
    assert "Nog geen aangifte vastgelegd." in page

    opened = client_for(griffier_a).get(f"{case_url(melding)}?open=aangifte").content.decode()
    assert 'name="aangifte-filer"' in opened
    assert 'name="nazorg-kind"' not in opened
    # The other sections' links keep the open one open.
    assert "?open=nazorg&amp;open=aangifte#nazorg" in opened
    assert f'href="{case_url(melding)}#aangifte" data-case-close' in opened


def test_unknown_section_in_the_address_is_ignored(client_for, raadslid_a, griffier_a):
    melding = make_melding(raadslid_a)
    response = client_for(griffier_a).get(f"{case_url(melding)}?open=<script>&open=x")
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1].split("</main>")[0]


def test_section_fragment_shows_the_section_and_is_audited_as_a_view(
    client_for, raadslid_a, griffier_a
):
    melding = make_melding(raadslid_a)
    AftercareAction.objects.create(
        melding=melding, kind="talk", date="2026-11-28", recorded_by=griffier_a, note="Gebeld"
    )
    client = client_for(griffier_a)
    before = views_by(griffier_a, melding).count()
    response = client.get(section_url(melding, "nazorg"), headers=FETCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gebeld" in html and 'name="nazorg-kind"' in html and "csrfmiddlewaretoken" in html
    assert "<html" not in html
    assert views_by(griffier_a, melding).count() == before + 1


def test_section_fragment_outside_the_scope_is_404_and_audited(
    client_for, raadslid_a, griffier_a, griffier_b
):
    melding = make_melding(raadslid_a)
    AftercareAction.objects.create(
        melding=melding, kind="talk", date="2026-11-28", recorded_by=griffier_a, note="Gebeld"
    )
    other = client_for(griffier_b)
    for section in case_sections.FOLLOW_UP:
        response = other.get(section_url(melding, section.id), headers=FETCH)
        assert response.status_code == 404
        assert "Gebeld" not in response.content.decode()
    assert (
        AuditEvent.objects.for_object(melding)
        .filter(action=AuditAction.ACCESS_DENIED, actor=griffier_b)
        .exists()
    )
    assert not views_by(griffier_b, melding).exists()


def test_section_fragment_of_a_guessed_id_or_unknown_section_is_404(
    client_for, raadslid_a, griffier_a
):
    melding = make_melding(raadslid_a)
    client = client_for(griffier_a)
    guessed = reverse("incidents:case_section", args=[999999, "nazorg"])
    assert client.get(guessed, headers=FETCH).status_code == 404
    assert client.get(section_url(melding, "tijdlijn"), headers=FETCH).status_code == 404


def test_reporter_and_people_it_is_shared_with_get_no_follow_up_section(
    client_for, raadslid_a, griffier_a, griffier_b
):
    melding = make_melding(raadslid_a)
    client_for(griffier_a).post(case_url(melding, "incidents:share"), {"email": griffier_b.email})
    for person in (raadslid_a, griffier_b):
        client = client_for(person)
        assert client.get(case_url(melding)).status_code == 200
        response = client.get(section_url(melding, "delen"), headers=FETCH)
        assert response.status_code == 404


def test_section_address_opened_as_a_page_goes_to_the_case_page_with_it_open(
    client_for, raadslid_a, griffier_a
):
    melding = make_melding(raadslid_a)
    response = client_for(griffier_a).get(section_url(melding, "aangifte"))
    assert response.status_code == 302
    assert response["Location"] == f"{case_url(melding)}?open=aangifte#aangifte"


def test_refused_follow_up_form_comes_back_open_with_what_was_typed(
    client_for, raadslid_a, griffier_a
):
    melding = make_melding(raadslid_a)
    response = client_for(griffier_a).post(
        case_url(melding, "incidents:aftercare"),
        {"nazorg-kind": "", "nazorg-date": "2026-11-28", "nazorg-note": "Belafspraak gemaakt"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Belafspraak gemaakt" in page and 'aria-invalid="true"' in page
    assert 'name="nazorg-kind"' in page
    # Only that section is open.
    assert 'name="aangifte-filer"' not in page


def test_saved_follow_up_returns_to_the_section_open_with_the_result(
    client_for, raadslid_a, griffier_a
):
    melding = make_melding(raadslid_a)
    client = client_for(griffier_a)
    response = client.post(
        case_url(melding, "incidents:perpetrator"),
        {"pleger-kind": "warning_letter", "pleger-date": "2026-11-29"},
    )
    assert response["Location"] == f"{case_url(melding)}?open=opvolging-dader#opvolging-dader"
    page = client.get(response["Location"]).content.decode()
    assert "Opgeslagen." in page and "Waarschuwingsbrief" in page


def test_missing_domicile_links_to_the_aangifte_section_open(
    client_for, raadslid_a, griffier_a, gemeente_a
):
    gemeente_a.profile.visit_street = ""
    gemeente_a.profile.save()
    melding = make_melding(raadslid_a)
    page = client_for(griffier_a).get(case_url(melding)).content.decode()
    assert f'href="{case_url(melding)}?open=aangifte#domicilie-ontbreekt"' in page
    opened = client_for(griffier_a).get(f"{case_url(melding)}?open=aangifte").content.decode()
    assert 'id="domicilie-ontbreekt"' in opened
