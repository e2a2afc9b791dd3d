"""The stylesheet inline on a first visit (weerbaar/stylesheet.py) in a real browser: the
first visit paints from the inline text (no render-blocking request for the file), which the
CSP allows by its hash; the file is fetched into the cache after the page; the next visit
links it and takes it from the cache; a stale version gets the text again; and a page looks
the same, pixel for pixel, with the text inline and with the file linked."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, make_user
from weerbaar.constants import Position, Role
from weerbaar.stylesheet import COOKIE_NAME, portal_stylesheet

from .conftest import DESKTOP, MOBILE
from .helpers import (
    assert_accessible,
    differing_pixels,
    full_screenshot,
    login,
    watch_console,
)

pytestmark = pytest.mark.django_db(transaction=True)

# How the page got its stylesheet: inline <style> elements with rules (a <style> the CSP
# blocked has none), links to portal.css, and what the browser's resource timing says of
# portal.css (render-blocking or not, bytes transferred: 0 when taken from the cache).
_STATE = """() => {
  const styles = [...document.querySelectorAll("style")];
  const entries = performance.getEntriesByType("resource")
    .filter((e) => e.name.includes("/vendor/css/portal"))
    .map((e) => ({blocking: e.renderBlockingStatus, transferred: e.transferSize,
                  initiator: e.initiatorType}));
  return {
    inline: styles.length,
    inlineRules: styles.map((s) => s.sheet ? s.sheet.cssRules.length : 0),
    links: document.querySelectorAll('link[rel=stylesheet][href*="/vendor/css/portal"]').length,
    prefetch: document.querySelectorAll('link[rel=prefetch][href*="/vendor/css/portal"]').length,
    font: getComputedStyle(document.body).fontFamily,
    files: entries,
  };
}"""


def _cookie(context):
    return {c["name"]: c["value"] for c in context.cookies()}.get(COOKIE_NAME)


def _visit(page, url):
    response = page.goto(url)
    assert response.status == 200
    # The prefetch is fetched at the lowest priority after the page: wait for it.
    page.wait_for_load_state("networkidle")
    return response, page.evaluate(_STATE)


def test_first_visit_inline_then_the_cached_file(live_server, browser):
    sheet = portal_stylesheet()
    context = browser.new_context(viewport=MOBILE, locale="nl-NL", is_mobile=True)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        console = watch_console(page)
        url = live_server.url + reverse("account_login")

        response, first = _visit(page, url)
        assert sheet.csp_source in response.headers["content-security-policy"]
        assert first["inline"] == 1 and first["inlineRules"][0] > 100, first
        assert first["links"] == 0 and first["prefetch"] == 1, first
        assert "Source Sans 3" in first["font"]
        # The file was asked for only by the prefetch, which does not block rendering.
        assert [f["blocking"] for f in first["files"]] == ["non-blocking"], first
        assert _cookie(context) == sheet.version
        assert_accessible(page)

        response, second = _visit(page, url)
        assert sheet.csp_source not in response.headers["content-security-policy"]
        assert second["inline"] == 0 and second["links"] == 1 and second["prefetch"] == 0
        assert "Source Sans 3" in second["font"]
        # Linked, and taken from the cache the prefetch filled.
        assert [f["transferred"] for f in second["files"]] == [0], second

        context.add_cookies([{"name": COOKIE_NAME, "value": "0" * 16, "url": live_server.url}])
        _response, stale = _visit(page, url)
        assert stale["inline"] == 1 and stale["links"] == 0, stale
        assert _cookie(context) == sheet.version
        console.assert_clean()
    finally:
        context.close()


def test_with_the_cookie_but_not_the_file_the_link_fetches_it(live_server, browser):
    context = browser.new_context(viewport=MOBILE, locale="nl-NL")
    context.set_default_timeout(15_000)
    try:
        context.add_cookies(
            [{"name": COOKIE_NAME, "value": portal_stylesheet().version, "url": live_server.url}]
        )
        page = context.new_page()
        console = watch_console(page)
        _response, state = _visit(page, live_server.url + reverse("account_login"))
        assert state["inline"] == 0 and state["links"] == 1, state
        assert [f["transferred"] > 0 for f in state["files"]] == [True], state
        assert "Source Sans 3" in state["font"]
        console.assert_clean()
    finally:
        context.close()


def _shot(page, url, inline):
    shot = full_screenshot(page, url)
    assert page.evaluate("document.querySelectorAll('style').length") == (1 if inline else 0)
    return shot


def _compare(context, page, name, url, failures, width):
    context.clear_cookies(name=COOKIE_NAME)
    inline = _shot(page, url, inline=True)
    assert _cookie(context) == portal_stylesheet().version
    linked = _shot(page, url, inline=False)
    differing = differing_pixels(inline, linked)
    if differing != 0:
        failures.append(f"{name} at {width} px: {differing}")


def test_a_page_looks_the_same_inline_and_linked(live_server, browser, gemeente_a):
    raadslid = make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    failures = []
    for viewport in (MOBILE, DESKTOP):
        options = {"is_mobile": True, "has_touch": True} if viewport is MOBILE else {}
        context = browser.new_context(viewport=viewport, locale="nl-NL", **options)
        context.set_default_timeout(15_000)
        try:
            page = context.new_page()
            console = watch_console(page)
            width = viewport["width"]
            _compare(
                context,
                page,
                "login page",
                live_server.url + reverse("account_login"),
                failures,
                width,
            )
            login(page, live_server.url, raadslid.email, PASSWORD)
            for name, path in [
                ("start page", reverse("home")),
                ("melding form", reverse("incidents:new")),
            ]:
                _compare(context, page, name, live_server.url + path, failures, width)
            console.assert_clean()
        finally:
            context.close()
    assert not failures, "inline and linked differ:\n" + "\n".join(failures)
