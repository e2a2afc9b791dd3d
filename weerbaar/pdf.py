"""PDF documents with WeasyPrint. The URL fetcher is locked down: a document can load only
our own fonts and stylesheet from ``static/``, never anything from the network or from
elsewhere on disk, whatever the (user-supplied) content of the page."""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

__all__ = ["render_pdf"]

STATIC_DIR = (Path(settings.BASE_DIR) / "static").resolve()
ALLOWED = ("fonts/", "css/pdf.css")


class BlockedResource(Exception):
    pass


def url_fetcher(url, *args, **kwargs):
    prefix = "weerbaar-static:/"
    if not url.startswith(prefix):
        raise BlockedResource("external resources are not loaded in documents")
    relative = url[len(prefix) :].lstrip("/")
    path = (STATIC_DIR / relative).resolve()
    if not relative.startswith(ALLOWED) or STATIC_DIR not in path.parents:
        raise BlockedResource("only our own fonts and stylesheet")
    mime = "text/css" if path.suffix == ".css" else "font/woff2"
    return {"string": path.read_bytes(), "mime_type": mime, "redirected_url": url}


def render_pdf(template_name, context):
    """Render a template to PDF bytes. Templates link the stylesheet as
    ``weerbaar-static:/css/pdf.css`` (which loads ``weerbaar-static:/fonts/...``)."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url="weerbaar-static:/", url_fetcher=url_fetcher).write_pdf()
