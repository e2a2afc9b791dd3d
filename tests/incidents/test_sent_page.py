"""The page after sending (issue 21 §2): who has the melding now, by when they answer, what
happens next and whom to call; only for the reporter and the filer, never for a draft."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from incidents.models import Melding
from weerbaar.constants import Position, Role
from weerbaar.models import OrganisationProfile

from ..factories import make_user
from .factories import make_melding
from .helpers import case_url, form_data

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def sent_url(melding):
    return case_url(melding, "incidents:sent")


def test_sending_lands_on_the_page_that_names_who_has_it(client_for, raadslid_a, griffier_a):
    client = client_for(raadslid_a)
    response = client.post(reverse("incidents:new"), form_data(), follow=True)
    melding = Melding.objects.get()
    assert response.redirect_chain == [(sent_url(melding), 302)]
    html = response.content.decode()
    assert "Uw melding is verstuurd." in html and melding.reference in html
    assert f"{griffier_a.full_name} — Griffier, Gemeente Utrecht" in html
    assert reverse("incidents:case", args=[melding.pk]) in html
    assert reverse("incidents:mine") in html


def test_deadline_is_said_in_words_in_dutch_time(client_for, raadslid_a, griffier_a):
    melding = make_melding(raadslid_a)
    deadline = datetime(2026, 12, 8, 10, 0, tzinfo=AMSTERDAM)
    Melding.objects.filter(pk=melding.pk).update(ack_deadline=deadline)
    html = client_for(raadslid_a).get(sent_url(melding)).content.decode()
    assert "uiterlijk <strong>dinsdag 8 december 2026 om 10:00</strong>" in html


def test_numbers_to_call_are_the_griffies_the_otwbs_and_112(
    client_for, raadslid_a, griffier_a, gemeente_a, otwb_org
):
    OrganisationProfile.objects.filter(organisation=gemeente_a).update(phone="030 286 10 00")
    OrganisationProfile.objects.update_or_create(
        organisation=otwb_org, defaults={"phone": "070 123 45 67"}
    )
    melding = make_melding(raadslid_a)
    html = client_for(raadslid_a).get(sent_url(melding)).content.decode()
    assert 'href="tel:0302861000">030 286 10 00</a>' in html
    assert 'href="tel:0701234567">070 123 45 67</a>' in html
    assert "Bel 112" in html


def test_without_a_phone_in_the_profile_only_112_is_offered(client_for, raadslid_a, griffier_a):
    melding = make_melding(raadslid_a)
    html = client_for(raadslid_a).get(sent_url(melding)).content.decode()
    assert "tel:" not in html
    assert "Bel 112" in html


def test_confidential_melding_names_the_otwb_not_the_own_griffie(
    client_for, raadslid_a, griffier_a, gemeente_a, vertrouwenspersoon
):
    OrganisationProfile.objects.filter(organisation=gemeente_a).update(phone="030 286 10 00")
    melding = make_melding(raadslid_a, confidential=True)
    html = client_for(raadslid_a).get(sent_url(melding)).content.decode()
    assert "Een vertrouwenspersoon van het OTWB" in html
    assert griffier_a.full_name not in html
    assert "030 286 10 00" not in html


def test_filer_on_behalf_sees_the_page_too(client_for, raadslid_a, griffier_a):
    melding = make_melding(raadslid_a, filed_by=griffier_a)
    assert client_for(griffier_a).get(sent_url(melding)).status_code == 200


def test_another_user_and_another_gemeentes_griffier_get_404(
    client_for, raadslid_a, griffier_a, raadslid_b, griffier_b
):
    melding = make_melding(raadslid_a)
    for outsider in (raadslid_b, griffier_b, make_user(Role.OFFICE_HOLDER, melding.organisation)):
        assert client_for(outsider).get(sent_url(melding)).status_code == 404, outsider


def test_the_triaging_griffier_sees_the_case_but_not_the_reporters_page(
    client_for, raadslid_a, griffier_a
):
    melding = make_melding(raadslid_a)
    assert client_for(griffier_a).get(case_url(melding)).status_code == 200
    assert client_for(griffier_a).get(sent_url(melding)).status_code == 404


def test_a_draft_has_no_page_after_sending(client_for, raadslid_a, griffier_a):
    draft = make_melding(raadslid_a, submit=False)
    assert client_for(raadslid_a).get(sent_url(draft)).status_code == 404


def test_a_withdrawn_melding_goes_to_its_case_page(client_for, raadslid_a, griffier_a):
    from incidents import services

    melding = services.withdraw(make_melding(raadslid_a), actor=raadslid_a)
    response = client_for(raadslid_a).get(sent_url(melding))
    assert response.status_code == 302 and response.url == case_url(melding)


def test_wethouder_page_names_secretaris_and_voorzitter(client_for, gemeente_a):
    wethouder = make_user(Role.OFFICE_HOLDER, gemeente_a, Position.WETHOUDER)
    secretaris = make_user(Role.SECRETARIS, gemeente_a, full_name="Sanne Secretaris")
    html = client_for(wethouder).get(sent_url(make_melding(wethouder))).content.decode()
    assert secretaris.full_name in html
