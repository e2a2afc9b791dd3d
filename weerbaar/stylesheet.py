"""The one stylesheet (``static/vendor/css/portal.css``) inline on a first visit.

On a slow phone the first paint waits for the stylesheet, which the browser asks for only
after the page has arrived: a second round trip. A browser that has not got the current
stylesheet in its cache therefore gets its text in a ``<style>`` element in the page's head,
a ``<link rel="prefetch">`` at the end of the body that fetches the file into the cache
after the page has been painted, and a small cookie naming the stylesheet's version (a hash
of its content; nothing about the person). A visit that sends the current version gets the
ordinary ``<link rel="stylesheet">``; a new stylesheet has a new version, so the next visit
counts as a first one again. When the browser has not kept the file after all, the link
simply fetches it.

The Content-Security-Policy allows exactly that ``<style>`` by its SHA-256 (``style-src
'sha256-…'``, added to the responses that carry it), not by ``'unsafe-inline'``. Those
responses depend on the cookie: ``Vary: Cookie`` (and the portal's pages are ``no-store,
private`` anyway, ``weerbaar.middleware.NoStoreMiddleware``).

The text is read once per process from where the link points: the collected file of the
static files storage (with the manifest, the fingerprinted copy, whose ``url()`` references
name the fingerprinted fonts), or with ``DEBUG`` (``make run``, no collectstatic) and where
nothing was collected (the tests) the file the finders serve; with ``DEBUG`` it is read again
when the file changes. Relative ``url()`` references are made absolute: in the page they
would be resolved against the page's address instead of the stylesheet's.
See docs/performance.md, "Phone: the stylesheet inline on a first visit (stop 23)"."""

import base64
import hashlib
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static
from django.utils.cache import patch_vary_headers

__all__ = [
    "COOKIE_NAME",
    "NAME",
    "Stylesheet",
    "StylesheetMiddleware",
    "inline_for",
    "portal_stylesheet",
]

NAME = "vendor/css/portal.css"
# Not sensitive: the version of the stylesheet this browser was sent (16 hex digits).
COOKIE_NAME = "wb_css"
COOKIE_AGE = 365 * 24 * 60 * 60

_URL = re.compile(r"""url\(\s*(['"]?)([^'")\s]+)\1\s*\)""")


@dataclass(frozen=True)
class Stylesheet:
    href: str  # the URL the link and the prefetch name
    text: str  # the content as it goes between <style> and </style>
    csp_source: str  # "'sha256-…'" of ``text``
    version: str  # the cookie's value


def _absolute_urls(css, href):
    def absolute(match):
        quote, ref = match.groups()
        if ref.startswith(("data:", "#", "/")) or "://" in ref:
            return match.group(0)
        return f"url({quote}{urljoin(href, ref)}{quote})"

    return _URL.sub(absolute, css)


def _source():
    """``(path or None, bytes)`` of the file the page's link points at."""
    if not settings.DEBUG:
        name = NAME
        if hasattr(staticfiles_storage, "stored_name"):
            name = staticfiles_storage.stored_name(NAME)
        if staticfiles_storage.exists(name):
            with staticfiles_storage.open(name) as file:
                return None, file.read()
    path = finders.find(NAME)
    if path is None:
        raise FileNotFoundError(f"static file {NAME} not found: run make setup")
    return Path(path), Path(path).read_bytes()


def _build(content):
    text = content.decode("utf-8").lstrip("\ufeff")
    href = static(NAME)
    text = _absolute_urls(text, href)
    # "</style" would end the element early: "<" as a CSS escape, which means the same in a
    # string, a url() or a comment (the build writes none today).
    text = text.replace("</", "\\3c/")
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return Stylesheet(
        href=href,
        text=text,
        csp_source="'sha256-" + base64.b64encode(digest).decode("ascii") + "'",
        version=hashlib.sha256(content).hexdigest()[:16],
    )


_lock = threading.Lock()
_kept = {}  # {"sheet": Stylesheet, "path": Path | None, "mtime": int | None}


def portal_stylesheet():
    """The stylesheet, read once per process (with ``DEBUG``: again when the file changed)."""
    kept = _kept.get("sheet")
    if kept is not None and not settings.DEBUG:
        return kept
    with _lock:
        if kept is not None:
            path = _kept["path"]
            if path is None or path.stat().st_mtime_ns == _kept["mtime"]:
                return kept
        path, content = _source()
        sheet = _build(content)
        _kept.update(sheet=sheet, path=path, mtime=path.stat().st_mtime_ns if path else None)
        return sheet


def inline_for(request):
    """Whether this request's page carries the stylesheet inline: the browser did not send
    the current version. Remembered on the request for ``StylesheetMiddleware``."""
    sheet = portal_stylesheet()
    inline = settings.STYLESHEET_INLINE_ON_FIRST_VISIT and (
        request.COOKIES.get(COOKIE_NAME) != sheet.version
    )
    request._portal_stylesheet = (sheet, inline)
    return sheet, inline


class StylesheetMiddleware:
    """For a page that put the stylesheet inline: its hash into the CSP's ``style-src`` and
    the version cookie. Every page that chose between inline and link varies by cookie.
    Below ``csp.middleware.CSPMiddleware``, so that the CSP is written after this."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        chosen = getattr(request, "_portal_stylesheet", None)
        if chosen is None:
            return response
        sheet, inline = chosen
        patch_vary_headers(response, ["Cookie"])
        if inline:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["style-src"] = [*update.get("style-src", []), sheet.csp_source]
            response._csp_update = update
            response.set_cookie(
                COOKIE_NAME,
                sheet.version,
                max_age=COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
