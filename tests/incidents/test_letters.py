"""Letters from a case (issue 19 §2): each kind as PDF and .docx with the organisation's
name and address and the named placeholders filled; template text comes out literally
(escaped, never executed); nothing of the melding the template does not name; access,
audit and the templates page."""

import io

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from incidents.constants import LetterKind
from incidents.models import LetterTemplate
from incidents.services.letters import save_letter_template
from weerbaar.constants import AuditAction, Role
from weerbaar.models import AuditEvent

from ..conftest import fill_profile
from ..factories import make_user
from .factories import make_melding
from .helpers import case_url

pytestmark = pytest.mark.django_db

SECRET_DESCRIPTION = "Hij stond bij mij thuis aan de Geheimstraat 7 te schreeuwen."
SECRET_PERPETRATOR = "buurman Jansen met de rode auto"
HOME = "Geheimstraat 7"


def _text(response, fmt):
    assert response.status_code == 200, response.content[:300]
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment;")
    if fmt == "pdf":
        assert response["Content-Type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(response.content))
        return "\n".join(page.extract_text() for page in reader.pages)
    document = Document(io.BytesIO(response.content))
    header = [p.text for p in document.sections[0].header.paragraphs]
    return "\n".join(header + [p.text for p in document.paragraphs])


def _letter(client, melding, kind, fmt, **extra):
    data = {"brief-kind": kind, "brief-format": fmt, **extra}
    return client.post(case_url(melding, "incidents:letter"), data)


@pytest.fixture
def melding(raadslid_a):
    return make_melding(
        raadslid_a,
        description=SECRET_DESCRIPTION,
        perpetrator_details=SECRET_PERPETRATOR,
        witnesses="mevrouw Getuige",
    )


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("kind", list(LetterKind))
def test_each_letter_fills_only_what_it_names(
    client_for, griffier_a, raadslid_a, melding, kind, fmt
):
    response = _letter(
        client_for(griffier_a),
        melding,
        kind,
        fmt,
        **{"brief-perpetrator_name": "P. Pleger", "brief-perpetrator_address": "Pleinweg 3"},
    )
    text = _text(response, fmt)
    flat = " ".join(text.split())
    assert "Gemeente Utrecht" in flat and "Stadsplateau 1" in flat and "3521 AZ Utrecht" in flat
    assert griffier_a.full_name in flat  # {{ ondertekenaar }}
    for secret in (SECRET_DESCRIPTION, SECRET_PERPETRATOR, "mevrouw Getuige", HOME):
        assert secret not in flat
    assert "{{" not in text
    if kind == LetterKind.WARNING:
        assert "P. Pleger" in flat and "Pleinweg 3" in flat
        assert raadslid_a.full_name not in flat and melding.reference not in flat
    elif kind == LetterKind.ACKNOWLEDGEMENT:
        assert raadslid_a.full_name in flat and melding.reference in flat
        assert "P. Pleger" not in flat
    else:
        assert raadslid_a.full_name in flat and "raadslid" in flat and "ELA" in flat
        assert "P. Pleger" in flat and "Pleinweg 3" not in flat
    event = AuditEvent.objects.for_object(melding).get(action=AuditAction.EXPORT, actor=griffier_a)
    assert event.detail["letter"] == kind and event.detail["format"] == fmt
    assert "P. Pleger" not in str(event.detail)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_template_text_comes_out_literally(client_for, griffier_a, gemeente_a, melding, fmt):
    save_letter_template(
        organisation=gemeente_a,
        kind=LetterKind.WARNING,
        actor=griffier_a,
        subject="Waarschuwing & {{ 7*7 }}",
        body=(
            "Geachte {{ dader_naam }},\n\n<script>alert(1)</script> {{ 7*7 }} {% load static %} "
            "Smit & Zn. {{ melder_naam }} {{ description }}\n\nGroet"
        ),
    )
    text = _text(
        _letter(
            client_for(griffier_a),
            melding,
            LetterKind.WARNING,
            fmt,
            **{"brief-perpetrator_name": "<b>Kees</b> & co"},
        ),
        fmt,
    )
    flat = " ".join(text.split())
    assert "Geachte <b>Kees</b> & co," in flat
    assert "<script>alert(1)</script> {{ 7*7 }} {% load static %} Smit & Zn." in flat
    # Placeholders the warning letter does not fill stay as typed, never filled.
    assert "{{ melder_naam }} {{ description }}" in flat
    assert "Waarschuwing & {{ 7*7 }}" in flat and "49" not in flat
    assert SECRET_DESCRIPTION not in flat


def test_missing_address_refuses_with_who_can_fill_it_in(
    client_for, griffier_a, gemeente_a, melding
):
    fill_profile(gemeente_a, street="", postcode="", place="")
    client = client_for(griffier_a)
    response = _letter(client, melding, LetterKind.ACKNOWLEDGEMENT, "pdf")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "bezoekadres" in page and "Griffier of Gemeentesecretaris" in page
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_warning_letter_needs_the_perpetrators_name(client_for, griffier_a, melding):
    client = client_for(griffier_a)
    response = _letter(client, melding, LetterKind.WARNING, "docx")
    assert response.status_code == 302
    assert "naam van de pleger" in client.get(response["Location"]).content.decode()


def test_letters_outside_the_scope_are_404(client_for, griffier_b, raadslid_a, melding):
    for person in (griffier_b, raadslid_a):
        for kind in LetterKind:
            response = _letter(
                client_for(person), melding, kind, "pdf", **{"brief-perpetrator_name": "X"}
            )
            assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
    assert client_for(raadslid_a).get(case_url(melding, "incidents:letter")).status_code == 405


def test_templates_page_edit_reset_and_access(
    client_for, griffier_a, secretaris_a, griffier_b, raadslid_a, gemeente_a
):
    url = reverse("incidents:letter_template", args=[gemeente_a.pk, LetterKind.WARNING])
    for outsider in (griffier_b, raadslid_a):
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(outsider).post(url, {"subject": "x", "body": "y"}).status_code == 404
    client = client_for(secretaris_a)
    page = client.get(url).content.decode()
    assert "{{ dader_naam }}" in page and "melder_naam" not in page
    refused = client.post(url, {"subject": "Let op", "body": "Beste {{ melder_naam }}"})
    assert refused.status_code == 400 and not LetterTemplate.objects.exists()
    assert (
        client.post(url, {"subject": "Let op", "body": "Beste {{ dader_naam }}"}).status_code == 302
    )
    row = LetterTemplate.objects.get(organisation=gemeente_a, kind=LetterKind.WARNING)
    assert AuditEvent.objects.for_object(row).get(action=AuditAction.CREATE).actor == secretaris_a
    reset = reverse("incidents:letter_template_reset", args=[gemeente_a.pk, LetterKind.WARNING])
    assert client_for(griffier_b).post(reset).status_code == 404
    assert client_for(griffier_a).post(reset).status_code == 302
    assert not LetterTemplate.objects.exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, actor=griffier_a, detail__reset="national_default"
    ).exists()


def test_confidential_case_letter_is_the_otwbs_never_the_gemeentes(
    client_for, raadslid_a, vertrouwenspersoon, griffier_a, otwb_org
):
    """The confidential route keeps the organisation out: the OTWB writes on its own paper."""
    fill_profile(otwb_org, street="Turfmarkt 147", postcode="2511 DP", place="Den Haag")
    confidential = make_melding(raadslid_a, confidential=True)
    assert (
        _letter(
            client_for(griffier_a), confidential, LetterKind.ACKNOWLEDGEMENT, "docx"
        ).status_code
        == 404
    )
    response = _letter(
        client_for(vertrouwenspersoon), confidential, LetterKind.ACKNOWLEDGEMENT, "docx"
    )
    text = _text(response, "docx")
    assert "Turfmarkt 147" in text and "Den Haag, " in text and "Stadsplateau" not in text


def test_another_organisations_own_text_is_not_used(
    client_for, griffier_a, griffier_b, gemeente_b, melding
):
    save_letter_template(
        organisation=gemeente_b,
        kind=LetterKind.ACKNOWLEDGEMENT,
        actor=griffier_b,
        subject="Groningen",
        body="Tekst van Groningen",
    )
    text = _text(_letter(client_for(griffier_a), melding, LetterKind.ACKNOWLEDGEMENT, "pdf"), "pdf")
    assert "Tekst van Groningen" not in text and "in goede orde" in text


def test_role_check_helper(griffier_a, gemeente_b):
    from incidents.services.local_steps import can_keep_protocol

    assert not can_keep_protocol(griffier_a, gemeente_b)
    assert can_keep_protocol(make_user(Role.SECRETARIS, gemeente_b), gemeente_b)
