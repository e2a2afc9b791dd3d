"""Filing through the web form: drafts, sending, bad input, attachments."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from incidents.constants import Status
from incidents.models import Attachment, Melding
from weerbaar.backends import auth as auth_backend
from weerbaar.models import Notification

from .helpers import form_data, huge_png_header, jpeg_with_gps, pdf_bytes, pdf_plain

pytestmark = pytest.mark.django_db
NEW = reverse("incidents:new")


def test_form_shows_112_first_and_recipients_before_sending(
    client_for, raadslid_a, griffier_a, vertrouwenspersoon
):
    response = client_for(raadslid_a).get(NEW)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("112") < html.index('<form class="wb-form')
    assert f"{griffier_a.full_name} — Griffier, Gemeente Utrecht" in html
    assert "alleen een vertrouwenspersoon van het OTWB" in html


def test_raadslid_sends_melding_and_griffier_is_notified(client_for, raadslid_a, griffier_a):
    response = client_for(raadslid_a).post(NEW, form_data())
    melding = Melding.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "incidents:sent", args=[melding.pk]
    )
    assert melding.status == Status.SUBMITTED and melding.reporter == raadslid_a
    assert sorted(melding.categories) == ["online", "threat"]
    note = Notification.objects.get(recipient=griffier_a)
    assert note.kind == "incidents.new" and "opwachten" not in note.body


def test_draft_can_be_saved_half_filled_and_finished_later(client_for, raadslid_a):
    client = client_for(raadslid_a)
    response = client.post(NEW, {"action": "draft", "description": "Begin van mijn verhaal"})
    melding = Melding.objects.get()
    assert response.url == reverse("incidents:edit", args=[melding.pk])
    assert melding.status == Status.DRAFT
    page = client.get(response.url).content.decode()
    assert "Begin van mijn verhaal" in page
    client.post(response.url, form_data())
    assert Melding.objects.get().status == Status.SUBMITTED


def test_empty_send_gives_dutch_errors_and_keeps_what_was_typed(client_for, raadslid_a):
    response = client_for(raadslid_a).post(NEW, form_data(place="", categories=[]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Er is een probleem" in html
    assert "Een account schreef dat ze me" in html
    assert not Melding.objects.exists()


def test_oversized_description_is_refused_with_message(client_for, raadslid_a):
    response = client_for(raadslid_a).post(NEW, form_data(description="x" * 10_001))
    assert response.status_code == 200
    assert "10000" in response.content.decode().replace(".", "")
    assert not Melding.objects.exists()


def test_script_in_description_is_rendered_inert(client_for, raadslid_a, griffier_a):
    client_for(raadslid_a).post(NEW, form_data(description="<script>alert(1)</script> dreiging"))
    melding = Melding.objects.get()
    html = client_for(griffier_a).get(reverse("incidents:case", args=[melding.pk])).content
    assert b"<script>alert(1)</script>" not in html
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_post_without_csrf_token_is_refused(raadslid_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(raadslid_a, backend=auth_backend.PATH)
    assert client.post(NEW, form_data()).status_code == 403
    assert not Melding.objects.exists()


def upload(client, melding, name, content):
    return client.post(
        reverse("incidents:upload", args=[melding.pk]),
        {"attachments": SimpleUploadedFile(name, content)},
        follow=True,
    )


@pytest.fixture
def filed(client_for, raadslid_a):
    client = client_for(raadslid_a)
    client.post(NEW, form_data())
    return client, Melding.objects.get()


def test_jpeg_gps_exif_is_stripped(filed):
    client, melding = filed
    upload(client, melding, "foto.jpg", jpeg_with_gps())
    stored = Attachment.objects.get()
    assert stored.content_type == "image/jpeg"
    with Image.open(io.BytesIO(stored.data)) as img:
        exif = img.getexif()
        assert 0x8825 not in exif and 0x010F not in exif


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.png", b"MZ\x90\x00\x03" + b"\x00" * 200, "geen foto, schermafdruk of PDF"),
        (
            "plaatje.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>',
            "geen foto, schermafdruk of PDF",
        ),
        ("groot.png", huge_png_header(), "te groot"),
    ],
)
def test_bad_uploads_are_refused_with_dutch_message(filed, name, content, message):
    client, melding = filed
    response = upload(client, melding, name, content)
    assert message in response.content.decode()
    assert not Attachment.objects.exists()


def test_bad_upload_in_the_form_keeps_the_typed_text(client_for, raadslid_a):
    data = form_data(attachments=SimpleUploadedFile("a.png", b"MZ" + b"\x00" * 100))
    response = client_for(raadslid_a).post(NEW, data)
    html = response.content.decode()
    assert "geen foto, schermafdruk of PDF" in html
    assert "Een account schreef dat ze me" in html
    assert not Melding.objects.exists()


def test_attachment_download_is_attachment_no_store_and_only_in_scope(
    filed, client_for, griffier_a, griffier_b
):
    client, melding = filed
    upload(client, melding, "brief.pdf", pdf_bytes())
    attachment = Attachment.objects.get()
    url = reverse("incidents:attachment", args=[attachment.pk])
    response = client_for(griffier_a).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert client_for(griffier_b).get(url).status_code == 404


def test_image_over_own_pixel_limit_is_refused_before_decoding(filed):
    img = Image.new("1", (8000, 6000))  # 48 Mpx: under Pillow's bomb limit, over ours
    out = io.BytesIO()
    img.save(out, format="PNG")
    client, melding = filed
    response = upload(client, melding, "scan.png", out.getvalue())
    assert "te groot" in response.content.decode()
    assert not Attachment.objects.exists()


def test_png_screenshot_is_accepted_and_reencoded(filed):
    img = Image.new("RGBA", (300, 200), (0, 0, 0, 255))
    out = io.BytesIO()
    img.save(out, format="PNG")
    client, melding = filed
    upload(client, melding, "scherm afdruk!.png", out.getvalue() + b"trailing-payload")
    stored = Attachment.objects.get()
    assert stored.filename == "scherm afdruk.png" and b"trailing-payload" not in stored.data


def test_moment_in_the_future_is_refused(client_for, raadslid_a):
    response = client_for(raadslid_a).post(NEW, form_data(occurred_at="2099-01-01T10:00"))
    assert "Dit moment ligt in de toekomst" in response.content.decode()
    assert not Melding.objects.exists()


def test_attachment_is_encrypted_in_the_database(filed):
    from django.db import connection

    client, melding = filed
    upload(client, melding, "brief.pdf", pdf_bytes(text="geheime brief"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM incidents_attachment")
        (raw,) = cursor.fetchone()
    assert bytes(raw).startswith(b"v1:") and b"%PDF" not in bytes(raw)
    assert b"(geheime brief) Tj" in pdf_plain(Attachment.objects.get().data)


def test_no_notification_carries_the_content(client_for, raadslid_a, griffier_a):
    from incidents import services

    client_for(raadslid_a).post(NEW, form_data(description="Hij noemde mijn dochter Fleur."))
    melding = Melding.objects.get()
    services.post_message(melding, "Fleur is veilig", actor=raadslid_a)
    services.transition(melding, Status.IN_TRIAGE, actor=griffier_a)
    services.post_message(melding, "Hoe gaat het met Fleur?", actor=griffier_a)
    texts = Notification.objects.values_list("subject", "body", "link")
    assert len(texts) >= 4
    assert all("Fleur" not in " ".join(t) for t in texts)
