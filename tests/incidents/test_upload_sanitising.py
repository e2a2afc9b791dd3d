"""ASVS 5.2.x / 14.2.x: what a reporter uploads is stored without what it could smuggle in.
A JPEG's comment and a PNG's ICC profile are not written back when the image is re-encoded;
a PDF is rewritten without JavaScript, embedded files, metadata and whatever follows its
``%%EOF``, and still opens with the same pages. The stored bytes are read after decryption."""

import io
import itertools

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from incidents.models import Attachment, Melding

from .helpers import form_data, pdf_bytes, pdf_plain
from .test_filing_views import NEW, filed, upload  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def stored_pdf(client, melding, content):
    upload(client, melding, "brief.pdf", content)
    stored = Attachment.objects.get()
    assert stored.content_type == "application/pdf"
    with pikepdf.open(io.BytesIO(stored.data)) as pdf:
        assert len(pdf.pages) == 2  # it still opens, with every page
    plain = pdf_plain(stored.data)
    assert b"(Dreigbrief) Tj" in plain  # and shows what it showed
    return stored.data, plain


def test_jpeg_comment_and_xmp_are_not_stored(filed):  # noqa: F811
    client, melding = filed
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 200, 30)).save(
        out, format="JPEG", comment=b"MARKER-COM adres Lindelaan 4", xmp=b"<x>MARKER-XMP</x>"
    )
    upload(client, melding, "foto.jpg", out.getvalue())
    stored = Attachment.objects.get().data
    assert b"MARKER-COM" not in stored and b"MARKER-XMP" not in stored
    assert b"\xff\xfe" not in stored.split(b"\xff\xda", 1)[0]  # no COM segment before the scan
    with Image.open(io.BytesIO(stored)) as img:
        assert img.size == (64, 48) and "comment" not in img.info and "xmp" not in img.info


def test_png_icc_profile_is_not_stored(filed):  # noqa: F811
    client, melding = filed
    out = io.BytesIO()
    Image.new("RGB", (40, 30)).save(out, format="PNG", icc_profile=b"MARKER-ICC" * 20)
    upload(client, melding, "scherm.png", out.getvalue())
    with Image.open(io.BytesIO(Attachment.objects.get().data)) as img:
        assert "icc_profile" not in img.info


def _javascript(pdf):
    script = pikepdf.Dictionary(
        S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('MARKER-JS-OPEN')")
    )
    pdf.Root.OpenAction = script
    pdf.Root.AA = pikepdf.Dictionary(WC=script)
    named = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pdf.make_stream(b"MARKER-JS-NAMED()"))
    )
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("x"), named]))
    )
    pdf.pages[0].AA = pikepdf.Dictionary(O=script)
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=[0, 0, 50, 50],
        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("MARKER-LAUNCH.exe")),
    )
    pdf.pages[1].Annots = pdf.make_indirect(pikepdf.Array([link]))


def test_pdf_javascript_and_actions_are_removed(filed):  # noqa: F811
    client, melding = filed
    data, plain = stored_pdf(client, melding, pdf_bytes(pages=2, build=_javascript))
    for marker in (b"MARKER-JS-OPEN", b"MARKER-JS-NAMED", b"MARKER-LAUNCH"):
        assert marker not in plain
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/OpenAction" not in pdf.Root and "/AA" not in pdf.Root
        assert "/JavaScript" not in pdf.Root.get("/Names", {})
        assert "/AA" not in pdf.pages[0]
        assert "/A" not in pdf.pages[1].Annots[0]  # the link stays, without its action


def _embedded_file(pdf):
    pdf.attachments["rapport.exe"] = pikepdf.AttachedFileSpec(pdf, b"MARKER-EMBEDDED-FILE")
    pdf.pages[1].Annots = pdf.make_indirect(
        pikepdf.Array(
            [
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot,
                    Subtype=pikepdf.Name.FileAttachment,
                    Rect=[0, 0, 20, 20],
                    FS=pikepdf.AttachedFileSpec(pdf, b"MARKER-ANNOT-FILE").obj,
                )
            ]
        )
    )


def test_pdf_embedded_files_are_removed(filed):  # noqa: F811
    client, melding = filed
    data, plain = stored_pdf(client, melding, pdf_bytes(pages=2, build=_embedded_file))
    assert b"MARKER-EMBEDDED-FILE" not in plain and b"MARKER-ANNOT-FILE" not in plain
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.attachments) == 0
        assert not list(pdf.pages[1].get("/Annots", []))


def _metadata(pdf):
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = ["MARKER-XMP-AUTHOR"]
    pdf.docinfo["/Author"] = "MARKER-INFO-AUTHOR"
    pdf.docinfo["/Producer"] = "MARKER-INFO-PRODUCER"


def test_pdf_xmp_and_document_info_are_removed(filed):  # noqa: F811
    client, melding = filed
    data, plain = stored_pdf(client, melding, pdf_bytes(pages=2, build=_metadata))
    for marker in (b"MARKER-XMP-AUTHOR", b"MARKER-INFO-AUTHOR", b"MARKER-INFO-PRODUCER"):
        assert marker not in plain
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/Metadata" not in pdf.Root and "/Info" not in pdf.trailer


def test_pdf_payload_after_eof_is_removed(filed):  # noqa: F811
    client, melding = filed
    payload = b"\nMARKER-AFTER-EOF " + b"x" * 500
    data, _plain = stored_pdf(client, melding, pdf_bytes(pages=2, trailer=payload))
    assert b"MARKER-AFTER-EOF" not in data
    assert data.rstrip().endswith(b"%%EOF")


def test_pdf_that_cannot_be_read_is_refused_and_the_form_keeps_the_text(client_for, raadslid_a):
    broken = SimpleUploadedFile("brief.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF\n")
    response = client_for(raadslid_a).post(NEW, form_data(attachments=broken))
    html = response.content.decode()
    assert "kan niet veilig worden opgeslagen" in html
    assert "Een account schreef dat ze me" in html
    assert not Melding.objects.exists() and not Attachment.objects.exists()


def _long_outline(pdf):
    """3,000 bookmarks, each the /Next of the one before (a long report's table of contents)."""
    items = [
        pdf.make_indirect(pikepdf.Dictionary(Title=pikepdf.String(f"Hoofdstuk {n}")))
        for n in range(3000)
    ]
    for before, after in itertools.pairwise(items):
        before.Next, after.Prev = after, before
    items[-1].A = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("MARKER-END"))
    pdf.Root.Outlines = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Outlines, First=items[0], Last=items[-1])
    )


def test_pdf_with_a_long_outline_is_cleaned_to_its_end(filed):  # noqa: F811
    client, melding = filed
    _data, plain = stored_pdf(client, melding, pdf_bytes(pages=2, build=_long_outline))
    assert b"Hoofdstuk 2999" in plain and b"MARKER-END" not in plain
