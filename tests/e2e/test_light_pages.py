"""The light pages of issue 25 §1 look as before: the NL Design System CSS cut to what the
portal uses (scripts/build_css.mjs) and the subset web fonts (scripts/subset_fonts.py) draw
the main pages pixel for pixel as the full CSS and the full fonts do, at 360 and 1280 px, and
axe-core still finds nothing.

The reference is made in the same run: each page is shot once with the full files served in
place of the built ones (from node_modules and static/fonts) and once as built."""

from pathlib import Path

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD, make_user
from tests.incidents.factories import make_melding
from weerbaar.constants import Position, Role
from weerbaar.stylesheet import COOKIE_NAME, portal_stylesheet

from .conftest import DESKTOP, MOBILE
from .helpers import assert_accessible, differing_pixels, full_screenshot, login

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
FULL_COMPONENTS = ROOT / "node_modules/@utrecht/component-library-css/dist/index.css"
FULL_TOKENS = ROOT / "node_modules/@utrecht/design-tokens/dist/index.css"


def _full_bundle():
    """What vendor/css/portal.css would be without the build: the whole NL Design System CSS,
    the portal's theme and the meldingen's CSS, unminified, one after the other."""
    theme = (ROOT / "static/css/theme.css").read_text()
    incidents = (ROOT / "static/incidents/incidents.css").read_text()
    parts = [FULL_TOKENS.read_text(), FULL_COMPONENTS.read_text(), theme, incidents]
    css = "\n".join(part.replace('@charset "UTF-8";', "") for part in parts)
    return css.replace('url("../vendor/fonts/', 'url("../fonts/').encode()


FULL = {
    "vendor/css/portal.css": _full_bundle,
    "vendor/utrecht/component-library.css": FULL_COMPONENTS.read_bytes,
    "vendor/utrecht/design-tokens.css": FULL_TOKENS.read_bytes,
    # Both files of a style (core and extension) served as the full font: the unicode-range
    # of each rule then picks the same glyphs from the full font.
    **{
        f"vendor/fonts/source-sans-3-{style}{suffix}.woff2": (
            ROOT / f"static/fonts/source-sans-3-latin-{style}.woff2"
        ).read_bytes
        for style in ("400-normal", "700-normal", "400-italic")
        for suffix in ("", "-ext")
    },
}
# Pixels allowed to differ (of a full-page shot, at least 360 × 740 = 266,400): none is
# expected; a handful would be anti-aliasing, a changed rule moves or recolours thousands.
TOLERANCE = 20


def _serve_full_files(context, state):
    def handle(route):
        path = route.request.url.split("/static/", 1)[1].split("?", 1)[0]
        if state["full"] and path in FULL:
            kind = "text/css" if path.endswith(".css") else "font/woff2"
            route.fulfill(status=200, body=FULL[path](), content_type=kind)
        else:
            route.continue_()

    context.route("**/static/vendor/**", handle)


def _shot(page, url, state, full):
    state["full"] = full
    return full_screenshot(page, url)


def _compare(browser, viewport, who, urls, failures, base_url):
    options = {"is_mobile": True, "has_touch": True} if viewport is MOBILE else {}
    context = browser.new_context(viewport=viewport, locale="nl-NL", **options)
    context.set_default_timeout(15_000)
    state = {"full": False}
    _serve_full_files(context, state)
    # The stylesheet linked on every visit, as on a repeat visit, so that the full files can
    # be served in its place (a first visit carries the built text inline: the look of that
    # is tests/e2e/test_stylesheet_inline.py's).
    context.add_cookies(
        [{"name": COOKIE_NAME, "value": portal_stylesheet().version, "url": base_url}]
    )
    page = context.new_page()
    try:
        if who:
            login(page, base_url, *who)
        for name, url in urls:
            before = _shot(page, base_url + url, state, full=True)
            after = _shot(page, base_url + url, state, full=False)
            differing = differing_pixels(before, after)
            if not isinstance(differing, int) or differing > TOLERANCE:
                failures.append(f"{name} at {viewport['width']} px: {differing}")
            if viewport is MOBILE:
                # Same pixels at 1280 px: axe's answer there is the one from before too.
                assert_accessible(page)
    finally:
        context.close()


def test_main_pages_look_as_with_the_full_css_and_fonts(live_server, browser, gemeente_a):
    built = ROOT / "static/vendor/css/portal.css"
    for path in (FULL_COMPONENTS, FULL_TOKENS, built):
        if not path.exists():
            pytest.skip(f"{path} is missing: run make setup")
    raadslid = make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    griffier = make_user(Role.GRIFFIER, gemeente_a)
    secret = pyotp.random_base32()
    TOTP.activate(griffier, secret)
    melding = make_melding(raadslid)
    make_melding(raadslid, categories=["verbal"])
    people = [
        (None, [("login page", reverse("account_login"))]),
        (
            (raadslid.email, PASSWORD),
            [("start page", reverse("home")), ("melding form", reverse("incidents:new"))],
        ),
        (
            (griffier.email, PASSWORD, secret),
            [
                ("triage dashboard", reverse("incidents:dashboard")),
                ("case page", reverse("incidents:case", args=[melding.pk])),
            ],
        ),
    ]
    failures = []
    for viewport in (MOBILE, DESKTOP):
        for who, urls in people:
            _compare(browser, viewport, who, urls, failures, live_server.url)
    assert not failures, "pages look different with the built CSS and fonts:\n" + "\n".join(
        failures
    )
