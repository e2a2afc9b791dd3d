import io

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
