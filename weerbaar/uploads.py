"""Checking uploads: images and PDFs only, recognised by their content. One check for every
app that takes files (a melding's attachments, a Veilig Wonen application's documents).
Images are checked and re-encoded without any metadata by ``weerbaar.images`` (shared with
the organisation's logo). PDFs are rewritten without scripts, embedded files and metadata
(``weerbaar.pdf_clean``).

Decoding and re-encoding costs about 1.3 s of a web worker per 40 million pixels of PNG,
so the files of one request share a budget (``PIXEL_BUDGET``), checked on the headers of all
of them before any is decoded: five images just under the former per-image limit of 40
million kept a worker busy for seconds; the budget bounds a request to about a second."""

import magic
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from weerbaar.images import IMAGE_TYPES, MAX_PIXELS, image_pixels, reencode_image

from .pdf_clean import clean_pdf

__all__ = ["MAX_BYTES", "MAX_PIXELS", "PIXEL_BUDGET", "clean_upload", "clean_uploads"]

MAX_BYTES = 10 * 1024 * 1024
# All images of one request together, and so also one image (``weerbaar.images``).
PIXEL_BUDGET = MAX_PIXELS
PDF = "application/pdf"


def _safe_name(name, extension):
    stem = "".join(c for c in name.rsplit(".", 1)[0] if c.isalnum() or c in "-_ ")[:80].strip()
    return f"{stem or 'bijlage'}.{extension}"


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
    pixels = sum(image_pixels(data) for _upload, data, mime in read if mime in IMAGE_TYPES)
    if pixels > PIXEL_BUDGET:  # only with several images: one alone is refused by image_pixels
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
        data, ext = reencode_image(data, mime=mime)
        content_type = f"image/{'jpeg' if ext == 'jpg' else ext}"
        cleaned.append((_safe_name(upload.name, ext), content_type, data))
    return cleaned


def clean_upload(upload):
    """(filename, content_type, bytes) of an acceptable upload, or a ValidationError."""
    return clean_uploads([upload])[0]
