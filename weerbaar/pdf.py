"""PDF documents with WeasyPrint. The URL fetcher is locked down: a document can load only
our own fonts and stylesheet from ``static/``, never anything from the network or from
elsewhere on disk, whatever the (user-supplied) content of the page."""

import base64
import binascii
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

__all__ = ["BlockedResource", "render_pdf"]

STATIC_DIR = (Path(settings.BASE_DIR) / "static").resolve()
ALLOWED = ("fonts/", "css/pdf.css")
PREFIX = "weerbaarstatic:/"
# An organisation's logo comes inline (``weerbaar.profiles.document_header``), re-encoded by
# ``weerbaar.images`` when it was uploaded: only these two kinds, never a remote image.
INLINE_IMAGES = {"data:image/png;base64,": "image/png", "data:image/jpeg;base64,": "image/jpeg"}


class BlockedResource(Exception):
    pass


def resolve(url):
    """The file behind an allowed ``weerbaarstatic:/`` URL; anything else is refused."""
    if not url.startswith(PREFIX):
        raise BlockedResource("external resources are not loaded in documents")
    relative = url[len(PREFIX) :].lstrip("/")
    path = (STATIC_DIR / relative).resolve()
    if not relative.startswith(ALLOWED) or STATIC_DIR not in path.parents:
        raise BlockedResource("only our own fonts and stylesheet")
    return path


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LockedDownFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            for prefix, mime in INLINE_IMAGES.items():
                if url.startswith(prefix):
                    try:
                        data = base64.b64decode(url[len(prefix) :], validate=True)
                    except binascii.Error as exc:
                        raise BlockedResource("an inline image that is not base64") from exc
                    return URLFetcherResponse(url, data, {"Content-Type": mime})
            path = resolve(url)
            mime = "text/css" if path.suffix == ".css" else "font/woff2"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return LockedDownFetcher()


def render_pdf(template_name, context):
    """Render a template to PDF bytes. Templates link the stylesheet as
    ``weerbaarstatic:/css/pdf.css`` (which loads ``weerbaarstatic:/fonts/...``)."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=PREFIX, url_fetcher=_fetcher()).write_pdf()
