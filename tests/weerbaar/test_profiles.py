"""The organisation's profile: who keeps it, what it audits, how it refuses bad input, its
logo, and that reloading the reference data never overwrites what an organisation entered."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from PIL import Image

from weerbaar import profiles
from weerbaar.constants import AuditAction, Role
from weerbaar.models import AuditEvent, Organisation, OrganisationProfile

from ..factories import make_user

pytestmark = pytest.mark.django_db

OWN = reverse("organisation_profile")


def of(org):
    return reverse("organisation_profile_of", args=[org.code])


def filled(**overrides):
    data = {
        "document_name": "Gemeente Utrecht",
        "visit_street": "Stadsplateau 1",
        "visit_postcode": "3521az",
        "visit_place": "Utrecht",
        "postal_street": "Postbus 16200",
        "postal_postcode": "3500 CE",
        "postal_place": "Utrecht",
        "phone": "030 286 00 00",
        "email": "griffie@utrecht.nl",
        "police_district": "Basisteam Utrecht-Centrum",
        "police_contact_name": "Wim Wijkagent",
        "police_contact_phone": "06 1234 5678",
        "police_contact_email": "wim@politie.nl",
        "ela_contact_name": "Els Ela",
        "ela_contact_phone": "",
        "ela_contact_email": "",
        "otwb_contact_name": "",
        "otwb_contact_phone": "",
        "otwb_contact_email": "",
    }
    data.update(overrides)
    return data


def test_own_griffier_secretaris_and_beheerder_may_keep_the_profile(
    client_for, griffier_a, gemeente_a, bzk
):
    secretaris = make_user(Role.SECRETARIS, gemeente_a)
    beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, bzk)
    for user, url in ((griffier_a, OWN), (secretaris, OWN), (griffier_a, of(gemeente_a))):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert "Profiel van Gemeente Utrecht" in response.content.decode()
    assert client_for(beheerder).get(of(gemeente_a)).status_code == 200
    # The beheerder has no organisation of their own to keep.
    assert client_for(beheerder).get(OWN).status_code == 404


def test_griffier_of_another_gemeente_and_a_raadslid_get_404_and_the_attempt_is_audited(
    client_for, griffier_b, gemeente_a
):
    raadslid = make_user(Role.OFFICE_HOLDER, gemeente_a)
    assert client_for(griffier_b).get(of(gemeente_a)).status_code == 404
    assert AuditEvent.objects.filter(
        action=AuditAction.ACCESS_DENIED, actor=griffier_b, object_id=str(gemeente_a.pk)
    ).exists()
    assert client_for(raadslid, mfa=False).get(OWN).status_code == 404
    assert client_for(raadslid, mfa=False).get(of(gemeente_a)).status_code == 404
    assert (
        client_for(griffier_b).get(reverse("organisation_profile_of", args=["BZK"])).status_code
        == 404
    )


def test_forged_post_for_another_organisation_is_refused_and_changes_nothing(
    client_for, griffier_b, gemeente_a
):
    response = client_for(griffier_b).post(of(gemeente_a), filled(visit_street="Nepstraat 9"))
    assert response.status_code == 404
    assert gemeente_a.profile.visit_street == "Stadsplateau 1"
    assert not AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="weerbaar.organisationprofile"
    ).exists()


def test_a_change_is_saved_and_audited_with_the_fields_not_their_values(
    client_for, griffier_a, gemeente_a
):
    client = client_for(griffier_a)
    response = client.post(OWN, filled(visit_street="Stadsplateau 2"))
    assert response.status_code == 302
    profile = OrganisationProfile.objects.get(organisation=gemeente_a)
    assert (profile.visit_street, profile.visit_postcode) == ("Stadsplateau 2", "3521 AZ")
    assert profile.police_contact_name == "Wim Wijkagent"
    line = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id=str(profile.pk))
    assert line.actor == griffier_a and line.organisation_id == gemeente_a.pk
    assert (
        "visit_street" in line.detail["fields"] and "police_contact_name" in line.detail["fields"]
    )
    assert "Stadsplateau" not in str(line.detail) and "Wim" not in str(line.detail)
    page = client.get(OWN).content.decode()
    assert "Stadsplateau 2" in page and "Het profiel is opgeslagen." in page
    # Saving the same values again changes nothing and writes no audit line.
    client_for(griffier_a).post(OWN, filled(visit_street="Stadsplateau 2"))
    assert (
        AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(profile.pk)).count() == 1
    )


def test_contact_persons_are_encrypted_at_rest(client_for, griffier_a, gemeente_a):
    client_for(griffier_a).post(OWN, filled())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT police_contact_name, police_contact_email, ela_contact_name, visit_street "
            "FROM weerbaar_organisationprofile WHERE organisation_id = %s",
            [gemeente_a.pk],
        )
        name, email, ela, street = cursor.fetchone()
    assert "Wim" not in name and "politie" not in email and "Els" not in ela
    assert street == "Stadsplateau 1"  # the organisation's own address is public


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"visit_postcode": "35210 A"}, "Vul een Nederlandse postcode in"),
        ({"visit_postcode": "3521 SS"}, "Vul een Nederlandse postcode in"),
        ({"visit_place": ""}, "Vul het hele bezoekadres in"),
        ({"email": "griffie-at-utrecht"}, "Vul een geldig e-mailadres in"),
        ({"phone": "bel ons"}, "Vul een telefoonnummer in"),
    ],
)
def test_bad_input_gives_a_dutch_error_and_keeps_what_was_typed(
    client_for, griffier_a, gemeente_a, overrides, message
):
    response = client_for(griffier_a).post(
        OWN, filled(visit_street="Domplein 99", police_contact_name="Karel Agent", **overrides)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "Er is een probleem" in page
    assert 'value="Domplein 99"' in page and 'value="Karel Agent"' in page
    assert OrganisationProfile.objects.get(organisation=gemeente_a).visit_street == "Stadsplateau 1"


def _jpeg_with_exif_and_comment():
    img = Image.new("RGB", (120, 40), (10, 60, 160))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (52.0, 5.0, 0.0), 3: "E", 4: (5.0, 7.0, 0.0)}
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif, comment=b"geheime opmerking")
    return out.getvalue()


def test_logo_is_re_encoded_without_exif_or_comment(client_for, griffier_a, gemeente_a):
    original = _jpeg_with_exif_and_comment()
    assert b"PhoneMaker" in original and b"geheime opmerking" in original
    upload = SimpleUploadedFile("logo.jpg", original, content_type="image/jpeg")
    response = client_for(griffier_a).post(OWN, {**filled(), "logo": upload})
    assert response.status_code == 302
    profile = OrganisationProfile.objects.get(organisation=gemeente_a)
    stored = bytes(profile.logo)
    assert profile.logo_type == "image/jpeg"
    assert b"PhoneMaker" not in stored and b"geheime opmerking" not in stored
    with Image.open(io.BytesIO(stored)) as img:
        assert img.size == (120, 40) and not img.getexif() and "comment" not in img.info
    header = profiles.document_header(gemeente_a)
    assert header.logo.startswith("data:image/jpeg;base64,")
    # Removing it again.
    client_for(griffier_a).post(OWN, {**filled(), "remove_logo": "on"})
    fresh = Organisation.objects.get(pk=gemeente_a.pk)
    assert profiles.document_header(organisation=fresh).logo is None


@pytest.mark.parametrize(
    ("name", "fmt", "message"),
    [("logo.gif", "GIF", "PNG- of JPEG-afbeelding"), ("logo.webp", "WEBP", "PNG- of JPEG")],
)
def test_a_logo_of_another_kind_is_refused_in_dutch(
    client_for, griffier_a, gemeente_a, name, fmt, message
):
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, format=fmt)
    upload = SimpleUploadedFile(name, out.getvalue())
    response = client_for(griffier_a).post(
        OWN, {**filled(visit_street="Domplein 9"), "logo": upload}
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert 'value="Domplein 9"' in response.content.decode()
    assert OrganisationProfile.objects.get(organisation=gemeente_a).logo is None


def test_document_header_shape(gemeente_a):
    header = profiles.document_header(gemeente_a)
    assert header == profiles.DocumentHeader(
        name="Gemeente Utrecht",
        address_lines=("Stadsplateau 1", "3521 AZ Utrecht"),
        postal_address_lines=(),
        phone="",
        email="",
        logo=None,
    )
    assert profiles.missing_for_aangifte(gemeente_a) == []
    amersfoort = Organisation.objects.get(code="GM0307")
    assert profiles.missing_for_aangifte(amersfoort) == [
        "straat en huisnummer van het bezoekadres",
        "postcode van het bezoekadres",
        "plaats van het bezoekadres",
    ]


def _reload():
    call_command("load_organisations", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_load_organisations_fills_the_document_name_from_reference_data_and_marks_it(
    organisations,
):
    for code, name in (
        ("PV21", "Provincie Fryslân"),
        ("WS0654", "Waterschap Aa en Maas"),
        ("WS0636", "Hoogheemraadschap De Stichtse Rijnlanden"),
        ("GM0307", "Gemeente Amersfoort"),
    ):
        profile = OrganisationProfile.objects.get(organisation__code=code)
        assert (profile.document_name, profile.from_reference) == (name, ["document_name"])


def test_load_organisations_never_overwrites_what_an_organisation_entered(
    client_for, griffier_a, gemeente_a
):
    client_for(griffier_a).post(OWN, filled(document_name="Gemeente Utrecht (Stadskantoor)"))
    before = OrganisationProfile.objects.get(organisation=gemeente_a)
    assert before.from_reference == []
    _reload()
    after = OrganisationProfile.objects.get(organisation=gemeente_a)
    for field in ("document_name", "visit_street", "visit_postcode", "police_contact_name"):
        assert getattr(after, field) == getattr(before, field)
    assert after.document_name == "Gemeente Utrecht (Stadskantoor)"
    assert after.updated_at == before.updated_at and after.from_reference == []


def test_profile_link_is_on_the_start_page_of_griffier_and_secretaris_only(
    client_for, griffier_a, gemeente_a
):
    assert OWN in client_for(griffier_a).get(reverse("home")).content.decode()
    raadslid = make_user(Role.OFFICE_HOLDER, gemeente_a)
    assert OWN not in client_for(raadslid, mfa=False).get(reverse("home")).content.decode()
