"""Documents of an application: the upload checks of a melding's attachments (content
sniffing, PDF cleaning, image re-encoding, encrypted storage), downloads only inside the
access scope and audited, the scan report only for who may see the home situation."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from tests.incidents.helpers import jpeg_with_gps, pdf_bytes
from veiligwonen import services
from veiligwonen.constants import DocumentKind
from veiligwonen.models import Document
from weerbaar.constants import AuditAction
from weerbaar.models import AuditEvent

from .factories import submit, to_scan_done

pytestmark = pytest.mark.django_db


def upload_url(app):
    return reverse("veiligwonen:upload_document", args=[app.pk])


def download_url(app, document):
    return reverse("veiligwonen:download_document", args=[app.pk, document.pk])


def quote_pdf(name="offerte camera.pdf"):
    script = b"1 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj"
    return SimpleUploadedFile(name, pdf_bytes(text="Offerte", trailer=script), "application/pdf")


def add(cast, app, user, kind=DocumentKind.QUOTE, text="Offerte"):
    return services.add_document(
        app,
        actor=user,
        kind=kind,
        filename=f"{kind}.pdf",
        content_type="application/pdf",
        data=pdf_bytes(text=text),
    )


def test_applicant_uploads_a_quote_cleaned_encrypted_and_audited(cast, client_for):
    app = submit(cast)
    client = client_for(cast.burgemeester)
    response = client.post(upload_url(app), {"kind": "quote", "file": quote_pdf()})
    assert response.status_code == 302
    document = Document.objects.get(application=app)
    assert document.kind == DocumentKind.QUOTE
    assert document.filename == "offerte camera.pdf"
    assert document.data.startswith(b"%PDF")
    assert b"app.alert" not in document.data  # what followed %%EOF is gone
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM veiligwonen_document WHERE id = %s", [document.pk])
        stored = bytes(cursor.fetchone()[0])
    assert not stored.startswith(b"%PDF")  # encrypted at rest
    assert (
        AuditEvent.objects.for_object(app)
        .filter(action=AuditAction.CREATE, detail__document=document.pk)
        .exists()
    )
    page = client.get(app.get_absolute_url()).content.decode()
    assert "Offerte: " in page and "offerte camera.pdf" in page


def test_a_file_that_is_no_pdf_or_image_is_refused_in_dutch(cast, client_for):
    app = submit(cast)
    fake = SimpleUploadedFile("factuur.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
    response = client_for(cast.burgemeester).post(
        upload_url(app), {"kind": "invoice", "file": fake}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "is geen foto, schermafdruk of PDF" in page
    assert re.search(r'<input type="radio" name="kind" value="invoice"[^>]* checked', page)
    assert not Document.objects.exists()


def test_a_photo_is_stored_without_its_location(cast, client_for):
    app = submit(cast)
    photo = SimpleUploadedFile("voordeur.jpg", jpeg_with_gps(), "image/jpeg")
    client_for(cast.burgemeester).post(upload_url(app), {"kind": "other", "file": photo})
    document = Document.objects.get(application=app)
    assert document.content_type == "image/jpeg"
    assert b"PhoneMaker" not in document.data
    assert b"Exif" not in document.data


def test_download_is_audited_and_not_cached(cast, client_for):
    app = submit(cast)
    document = add(cast, app, cast.burgemeester)
    response = client_for(cast.burgemeester).get(download_url(app, document))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    assert (
        AuditEvent.objects.for_object(app)
        .filter(action=AuditAction.DOWNLOAD, detail__document=document.pk)
        .exists()
    )


def test_documents_stay_inside_the_application_scope(cast, client_for):
    app = to_scan_done(cast, submit(cast))
    quote = add(cast, app, cast.burgemeester)
    other_app = submit(cast, cast.wethouder)
    other_doc = add(cast, other_app, cast.wethouder)
    # Another applicant, another municipality's secretaris, an adviser not assigned: 404.
    for outsider in (cast.wethouder, cast.other_secretaris, cast.other_adviser, cast.griffier):
        assert client_for(outsider).get(download_url(app, quote)).status_code == 404
    # A guessed id: another application's document under this application's address.
    applicant = client_for(cast.burgemeester)
    assert applicant.get(download_url(app, other_doc)).status_code == 404
    assert (
        applicant.get(reverse("veiligwonen:download_document", args=[app.pk, 999999])).status_code
        == 404
    )
    # The assigned CCV adviser, BZK intake and the employer (who pays) get the quote.
    for insider in (cast.adviser, cast.intake, cast.secretaris):
        assert client_for(insider).get(download_url(app, quote)).status_code == 200
    # Outsiders cannot add documents either.
    forged = {"kind": "quote", "file": quote_pdf()}
    assert client_for(cast.wethouder).post(upload_url(app), forged).status_code == 404
    assert client_for(cast.other_adviser).post(upload_url(app), forged).status_code == 404
    assert Document.objects.filter(application=app).count() == 1


def test_scan_report_is_only_for_who_sees_the_home(cast, client_for):
    app = to_scan_done(cast, submit(cast))
    report = add(cast, app, cast.adviser, kind=DocumentKind.SCAN_REPORT, text="Scanrapport")
    assert client_for(cast.adviser).get(download_url(app, report)).status_code == 200
    assert client_for(cast.burgemeester).get(download_url(app, report)).status_code == 200
    employer = client_for(cast.secretaris)
    assert employer.get(download_url(app, report)).status_code == 404
    assert download_url(app, report) not in employer.get(app.get_absolute_url()).content.decode()
    # The applicant may add quotes and invoices, not the scan report (a forged choice).
    response = client_for(cast.burgemeester).post(
        upload_url(app), {"kind": "scan_report", "file": quote_pdf()}
    )
    assert response.status_code == 400
    assert Document.objects.filter(application=app).count() == 1


def test_purge_removes_documents_and_messages(cast, settings):
    from datetime import timedelta

    from django.utils import timezone

    app = submit(cast)
    add(cast, app, cast.burgemeester)
    services.post_message(app, actor=cast.burgemeester, body="Wanneer komt de adviseur?")
    services.withdraw(app, actor=cast.burgemeester)
    settings.VEILIGWONEN_RETENTION_DAYS = 1
    services.purge_closed(now=timezone.now() + timedelta(days=2))
    assert not app.documents.exists()
    assert not app.messages.exists()
