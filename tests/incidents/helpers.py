import io

import pikepdf
from django.urls import reverse
from PIL import Image


def case_url(melding, name="incidents:case", *args):
    """The URL ``name`` of one melding (its case page unless said otherwise)."""
    return reverse(name, args=[melding.pk, *args])


def form_data(**overrides):
    data = {
        "occurred_at": "2026-11-27T21:30",
        "place": "online",
        "channel": "social",
        "categories": ["threat", "online"],
        "description": "Een account schreef dat ze me na de vergadering zouden opwachten.",
        "perpetrator": "unknown",
        "perpetrator_details": "",
        "witnesses": "",
        "help_wanted": ["talk", "aangifte"],
        "action": "send",
    }
    data.update(overrides)
    return data


def jpeg_with_gps():
    img = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = {1: "N", 2: (52.0, 5.0, 0.0), 3: "E", 4: (5.0, 7.0, 0.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def huge_png_header():
    """A small file that claims 20 000 × 20 000 pixels (a decompression bomb)."""
    img = Image.new("1", (20_000, 20_000))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def pdf_bytes(*, text="Dreigbrief", pages=1, build=None, trailer=b""):
    """A real PDF of ``pages`` pages showing ``text``; ``build(pdf)`` adds to it before it is
    saved, ``trailer`` is appended after its ``%%EOF``."""
    pdf = pikepdf.new()
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    )
    for _ in range(pages):
        page = pdf.add_blank_page(page_size=(300, 200))
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.Contents = pdf.make_stream(f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode())
    if build:
        build(pdf)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue() + trailer


def pdf_plain(data):
    """The PDF rewritten with every stream decoded and no object streams, to search in."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        out = io.BytesIO()
        pdf.save(
            out,
            compress_streams=False,
            stream_decode_level=pikepdf.StreamDecodeLevel.all,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
        )
    return out.getvalue()
