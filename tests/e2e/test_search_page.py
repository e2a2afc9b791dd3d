"""The triage dashboard's search box in a real browser on a 360 px screen (issue 21 §3b): a
griffier types a perpetrator's handle, the list shows that melding only, the address bar
never holds the words, a too short query is explained in Dutch and kept, and every state
passes axe-core."""

import io

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from PIL import Image

from tests.factories import PASSWORD, make_user
from tests.incidents.factories import make_melding
from weerbaar.constants import Position, Role

from .helpers import DOCS, assert_accessible, keeps_screenshots, login, watch_console

pytestmark = pytest.mark.django_db(transaction=True)


def _save(page, name):
    """The top of the page as a small PNG for docs/search.md (WB_SCREENSHOTS=1)."""
    shot = page.screenshot(full_page=True)
    Image.open(io.BytesIO(shot)).convert("RGB").quantize(colors=64).save(DOCS / name, optimize=True)


def test_griffier_searches_the_dashboard_on_a_small_screen(live_server, mobile_page, gemeente_a):
    page = mobile_page
    raadslid = make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    griffier = make_user(Role.GRIFFIER, gemeente_a)
    secret = pyotp.random_base32()
    TOTP.activate(griffier, secret)
    wanted = make_melding(
        raadslid, perpetrator="known", perpetrator_details="Het account @Dreiger_Henk."
    )
    other = make_melding(raadslid, categories=["verbal"])
    console = watch_console(page)
    login(page, live_server.url, griffier.email, PASSWORD, totp_secret=secret)
    page.goto(f"{live_server.url}/meldingen/triage/")
    assert page.get_by_role("link", name=other.reference).is_visible()

    box = page.get_by_role("searchbox", name="Zoeken")
    box.fill("ab")
    with page.expect_navigation():
        box.press("Enter")
    assert page.get_by_text(
        "Typ ten minste drie letters of cijfers, of een kenmerk."
    ).first.is_visible()
    assert page.get_by_role("searchbox", name="Zoeken").input_value() == "ab"
    assert_accessible(page)

    page.get_by_role("searchbox", name="Zoeken").fill("@dreiger")
    with page.expect_navigation():
        page.get_by_role("button", name="Zoeken", exact=True).click()
    assert "dreiger" not in page.url.casefold()
    assert page.get_by_role("link", name=wanted.reference).is_visible()
    assert page.get_by_role("status").filter(has_text="1 resultaat gevonden").is_visible()
    assert page.get_by_role("link", name=other.reference).count() == 0
    assert page.get_by_role("searchbox", name="Zoeken").input_value() == "@dreiger"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
    if keeps_screenshots():
        _save(page, "search-360.png")

    with page.expect_navigation():
        page.get_by_role("link", name="Zoekopdracht wissen").click()
    assert page.get_by_role("link", name=other.reference).is_visible()
    console.assert_clean()
