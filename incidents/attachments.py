"""Checking uploads: images and PDFs only, recognised by their content. Images are decoded
(after a pixel-count check on the header, so a decompression bomb is never decoded) and
re-encoded, which drops EXIF (GPS included) and anything smuggled behind the pixels."""

import io

import magic
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

__all__ = ["MAX_BYTES", "MAX_PIXELS", "clean_upload"]

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
IMAGE_TYPES = {
    "image/jpeg": ("JPEG", "jpg"),
    "image/png": ("PNG", "png"),
    "image/webp": ("WEBP", "webp"),
    "image/gif": ("PNG", "png"),
}
PDF = "application/pdf"


def _safe_name(name, extension):
    stem = "".join(c for c in name.rsplit(".", 1)[0] if c.isalnum() or c in "-_ ")[:80].strip()
    return f"{stem or 'bijlage'}.{extension}"


def _limit():
    return min(MAX_PIXELS, Image.MAX_IMAGE_PIXELS or MAX_PIXELS)


def _reencode(data, mime):
    fmt, ext = IMAGE_TYPES[mime]
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
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            if fmt == "JPEG" and img.mode not in ("RGB", "L"):
                img = img.convert("RGB")
            elif img.mode == "P":
                img = img.convert("RGBA")
            out = io.BytesIO()
            img.save(out, format=fmt)  # no exif= argument: metadata is not carried over
    except (OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("Deze afbeelding kan niet worden gelezen.")) from exc
    return out.getvalue(), ext


def clean_upload(upload):
    """(filename, content_type, bytes) of an acceptable upload, or a ValidationError."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("Het bestand %(n)s is groter dan 10 MB.") % {"n": upload.name})
    data = upload.read()
    mime = magic.from_buffer(data[:4096], mime=True)
    if mime == PDF:
        return _safe_name(upload.name, "pdf"), PDF, data
    if mime in IMAGE_TYPES:
        data, ext = _reencode(data, mime)
        return _safe_name(upload.name, ext), f"image/{'jpeg' if ext == 'jpg' else ext}", data
    raise ValidationError(
        _(
            "Het bestand %(n)s is geen foto, schermafdruk of PDF. Alleen JPEG, PNG, WebP, GIF "
            "en PDF zijn toegestaan."
        )
        % {"n": upload.name}
    )
