"""Checking and re-encoding uploaded images, shared by every app that takes an image
(attachments of a melding, an organisation's logo).

An image is decoded only after a pixel-count check on its header, so a decompression bomb is
never decoded, and re-encoded, which drops EXIF (GPS included) and anything smuggled behind
the pixels. It is saved without any of the metadata Pillow would carry over: a JPEG comment,
XMP, the ICC profile (free text of its own; screenshots and phone photos look the same in
sRGB)."""

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

__all__ = ["IMAGE_TYPES", "MAX_PIXELS", "image_pixels", "reencode_image"]

# One image: a 24-megapixel photo, two of a phone's 12, or a handful of screenshots.
MAX_PIXELS = 24_000_000
# mime type -> (Pillow format to write, file extension)
IMAGE_TYPES = {
    "image/jpeg": ("JPEG", "jpg"),
    "image/png": ("PNG", "png"),
    "image/webp": ("WEBP", "webp"),
    "image/gif": ("PNG", "png"),
}
# The only information of a decoded image saved with its pixels.
PIXEL_INFO = {"transparency"}


def _limit(max_pixels):
    return min(max_pixels, Image.MAX_IMAGE_PIXELS or max_pixels)


def image_pixels(data, *, max_pixels=MAX_PIXELS):
    """The pixel count from the image header, without decoding; refuses a bomb."""
    limit = _limit(max_pixels)
    too_big = _(
        "Deze afbeelding is te groot (meer dan %(n)s miljoen beeldpunten). Maak een "
        "kleinere schermafdruk of foto."
    ) % {"n": limit // 1_000_000}
    try:
        # Opening reads only the header; Pillow itself refuses far oversized images here.
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
    except Image.DecompressionBombError as exc:
        raise ValidationError(too_big) from exc
    except OSError as exc:
        raise ValidationError(_("Deze afbeelding kan niet worden gelezen.")) from exc
    if width * height > limit:
        raise ValidationError(too_big)
    return width * height


def reencode_image(data, *, mime):
    """(bytes, extension) of ``data`` decoded and written again with its pixels only. Check
    its size with ``image_pixels`` first."""
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
