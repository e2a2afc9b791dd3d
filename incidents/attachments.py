"""Checking uploads: images and PDFs only, recognised by their content. Images are decoded
(after a pixel-count check on the header, so a decompression bomb is never decoded) and
re-encoded, which drops EXIF (GPS included) and anything smuggled behind the pixels, and
saved without any of the metadata Pillow would carry over: a JPEG comment, XMP, the ICC
profile (free text of its own; screenshots and phone photos look the same in sRGB). PDFs are
rewritten without scripts, embedded files and metadata (``incidents.pdf_clean``).

Decoding and re-encoding costs about 1.3 s of a web worker per 40 million pixels of PNG,
so the files of one request share a budget (``PIXEL_BUDGET``), checked on the headers of all
of them before any is decoded: five images just under the former per-image limit of 40
million kept a worker busy for seconds; the budget bounds a request to about a second."""

import io

import magic
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

from .pdf_clean import clean_pdf

__all__ = ["MAX_BYTES", "MAX_PIXELS", "PIXEL_BUDGET", "clean_upload", "clean_uploads"]

MAX_BYTES = 10 * 1024 * 1024
# All images of one request together, and so also one image: a 24-megapixel photo, two of
# a phone's 12, or a handful of screenshots.
PIXEL_BUDGET = 24_000_000
MAX_PIXELS = PIXEL_BUDGET
IMAGE_TYPES = {
    "image/jpeg": ("JPEG", "jpg"),
    "image/png": ("PNG", "png"),
    "image/webp": ("WEBP", "webp"),
    "image/gif": ("PNG", "png"),
}
PDF = "application/pdf"
# The only information of a decoded image saved with its pixels.
PIXEL_INFO = {"transparency"}


def _safe_name(name, extension):
    stem = "".join(c for c in name.rsplit(".", 1)[0] if c.isalnum() or c in "-_ ")[:80].strip()
    return f"{stem or 'bijlage'}.{extension}"


def _limit():
    return min(MAX_PIXELS, Image.MAX_IMAGE_PIXELS or MAX_PIXELS)


def _pixels(data):
    """The pixel count from the image header, without decoding; refuses a bomb."""
    too_big = _(
        "Deze afbeelding is te groot (meer dan %(n)s miljoen beeldpunten). Maak een "
        "kleinere schermafdruk of foto."
    ) % {"n": _limit() // 1_000_000}
    try:
        # Opening reads only the header; Pillow itself refuses far oversized images here.
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
    except Image.DecompressionBombError as exc:
        raise ValidationError(too_big) from exc
    except OSError as exc:
        raise ValidationError(_("Deze afbeelding kan niet worden gelezen.")) from exc
    if width * height > _limit():
        raise ValidationError(too_big)
    return width * height


def _reencode(data, mime):
    fmt, ext = IMAGE_TYPES[mime]
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            if fmt == "JPEG" and img.mode not in ("RGB", "L"):
                img = img.convert("RGB")
            elif img.mode == "P":
                img = img.convert("RGBA")
            # Pillow writes a JPEG's comment and a PNG's ICC profile back from ``info``.
            img.info = {k: v for k, v in img.info.items() if k in PIXEL_INFO}
            out = io.BytesIO()
            img.save(out, format=fmt)  # no exif=, xmp= or icc_profile= argument
    except (OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("Deze afbeelding kan niet worden gelezen.")) from exc
    return out.getvalue(), ext


def _read(upload):
    """(bytes, mime type) of an upload of an accepted kind and size."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("Het bestand %(n)s is groter dan 10 MB.") % {"n": upload.name})
    data = upload.read()
    mime = magic.from_buffer(data[:4096], mime=True)
    if mime == PDF or mime in IMAGE_TYPES:
        return data, mime
    raise ValidationError(
        _(
            "Het bestand %(n)s is geen foto, schermafdruk of PDF. Alleen JPEG, PNG, WebP, GIF "
            "en PDF zijn toegestaan."
        )
        % {"n": upload.name}
    )


def clean_uploads(uploads):
    """[(filename, content_type, bytes)] of acceptable uploads sent together, or a
    ValidationError before any image is decoded when they exceed the pixel budget."""
    read = [(upload, *_read(upload)) for upload in uploads]
    pixels = sum(_pixels(data) for _upload, data, mime in read if mime in IMAGE_TYPES)
    if pixels > PIXEL_BUDGET:  # only with several images: one alone is refused by _pixels
        raise ValidationError(
            _(
                "Deze afbeeldingen zijn samen te groot om in één keer te verwerken (samen meer "
                "dan %(n)s miljoen beeldpunten). Voeg er minder tegelijk toe, of kleinere. "
                "Wat u heeft ingevuld staat er nog."
            )
            % {"n": PIXEL_BUDGET // 1_000_000}
        )
    cleaned = []
    for upload, data, mime in read:
        if mime == PDF:
            cleaned.append((_safe_name(upload.name, "pdf"), PDF, clean_pdf(data, name=upload.name)))
            continue
        data, ext = _reencode(data, mime)
        content_type = f"image/{'jpeg' if ext == 'jpg' else ext}"
        cleaned.append((_safe_name(upload.name, ext), content_type, data))
    return cleaned


def clean_upload(upload):
    """(filename, content_type, bytes) of an acceptable upload, or a ValidationError."""
    return clean_uploads([upload])[0]
