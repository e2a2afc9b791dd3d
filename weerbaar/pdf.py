"""PDF documents with WeasyPrint. The URL fetcher is locked down: a document can load only
our own fonts and stylesheet from ``static/``, never anything from the network or from
elsewhere on disk, whatever the (user-supplied) content of the page."""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

__all__ = ["BlockedResource", "render_pdf"]

STATIC_DIR = (Path(settings.BASE_DIR) / "static").resolve()
ALLOWED = ("fonts/", "css/pdf.css")
PREFIX = "weerbaarstatic:/"


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
