"""The aangifte preparation document never prints a placeholder for the domicile: for a
freshly loaded organisation (``load_organisations``, no fixtures) the case page says what is
missing and who fills it in, the download is refused with that message, and once the
griffier filled in the profile through its page the document carries the real address."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from incidents import services
from incidents.constants import Status
from weerbaar.constants import Role
from weerbaar.models import Organisation

from ..factories import make_user
from .factories import make_melding
from .helpers import case_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def amersfoort(organisations):
    """As the reference data loads it: nothing entered by the gemeente."""
    return Organisation.objects.get(code="GM0307")


def test_pdf_of_freshly_loaded_gemeente_is_refused_until_the_griffier_fills_the_profile(
    client_for, amersfoort
):
    raadslid = make_user(Role.OFFICE_HOLDER, amersfoort)
    griffier = make_user(Role.GRIFFIER, amersfoort)
    melding = make_melding(raadslid)
    services.transition(melding, Status.IN_TRIAGE, actor=griffier)
    client = client_for(griffier)

    # The notice is in the aangifte section, closed until opened (the summary links to it).
    case = client.get(f"{case_url(melding)}?open=aangifte").content.decode()
    assert "het bezoekadres van Gemeente Amersfoort ontbreekt" in case
    assert "De Griffier of de Gemeentesecretaris van Gemeente Amersfoort" in case
    profile_url = reverse("organisation_profile_of", args=["GM0307"])
    assert profile_url in case
    assert case_url(melding, "incidents:aangifte_pdf") not in case

    refused = client.get(case_url(melding, "incidents:aangifte_pdf"))
    assert refused.status_code == 409 and refused["Content-Type"].startswith("text/html")
    text = refused.content.decode()
    assert "postcode van het bezoekadres" in text and "Griffier" in text
    assert "vul het bezoekadres van de organisatie in" not in text

    # The reporter is told too, without a link they could not use.
    own = client_for(raadslid, mfa=False).get(case_url(melding)).content.decode()
    assert "het bezoekadres van Gemeente Amersfoort ontbreekt" in own
    assert profile_url not in own

    saved = client.post(
        profile_url,
        {
            "document_name": "Gemeente Amersfoort",
            "visit_street": "Stadhuisplein 1",
            "visit_postcode": "3811 lm",
            "visit_place": "Amersfoort",
            "phone": "14 033",
        },
    )
    assert saved.status_code == 302

    response = client.get(case_url(melding, "incidents:aangifte_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    domicile = text[text.index("Domicilie") : text.index("De zeven W")]
    assert "Gemeente Amersfoort" in domicile
    assert "Stadhuisplein 1, 3811 LM Amersfoort" in domicile
    assert "vul het" not in text.lower()
