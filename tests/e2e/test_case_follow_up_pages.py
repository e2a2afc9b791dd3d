"""The case page's follow-up sections in a real browser: closed until opened, opened in
place by the keyboard or the mouse with focus on the section's heading, kept open by a
reload, closed again with what was typed kept; without JavaScript the same links open the
section on the page. Accessible (axe) in every state, no CSP violation."""

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP

from incidents.models import AftercareAction
from tests.factories import PASSWORD, make_user
from tests.incidents.factories import make_melding
from weerbaar.constants import Position, Role

from .conftest import DESKTOP
from .helpers import assert_accessible, login, watch_console

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def case(gemeente_a):
    raadslid = make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    griffier = make_user(Role.GRIFFIER, gemeente_a)
    secret = pyotp.random_base32()
    TOTP.activate(griffier, secret)
    melding = make_melding(raadslid)
    AftercareAction.objects.create(
        melding=melding, kind="talk", date="2026-11-28", recorded_by=griffier, note="Gebeld"
    )
    return griffier, secret, melding


def heading_focused(page):
    return page.evaluate("document.activeElement.tagName + ' ' + document.activeElement.id")


def test_follow_up_sections_open_in_place_and_stay_open_on_reload(live_server, page, case):
    griffier, secret, melding = case
    console = watch_console(page)
    login(page, live_server.url, griffier.email, PASSWORD, totp_secret=secret)
    url = f"{live_server.url}/meldingen/{melding.pk}/"
    page.goto(url)
    nazorg = page.locator("#nazorg")
    assert nazorg.get_by_text("Er is nazorg vastgelegd.").is_visible()
    assert page.locator("textarea[name=nazorg-note]").count() == 0
    assert_accessible(page)

    # The keyboard: the link is reached and followed with Enter; the page does not reload.
    link = nazorg.get_by_role("link", name="Nazorg bekijken of vastleggen")
    link.focus()
    page.keyboard.press("Enter")
    nazorg.get_by_text("Gebeld").wait_for()
    assert heading_focused(page) == "H2 aftercare-heading"
    assert page.evaluate("location.search") == "?open=nazorg"
    assert_accessible(page)

    # A second section: both stay open, and the address says so.
    page.get_by_role("link", name="Aangifte bekijken of bijwerken").click()
    page.get_by_label("Registratienummer").wait_for()
    assert page.evaluate("location.search") == "?open=nazorg&open=aangifte"
    page.get_by_label("Registratienummer").fill("PL-1")
    assert_accessible(page)

    # Closing hides it and gives focus back to its link; opening again shows what was typed.
    page.locator("#aangifte").get_by_role("link", name="Sluiten").click()
    assert not page.get_by_label("Registratienummer").is_visible()
    assert page.evaluate("document.activeElement.textContent") == "Aangifte bekijken of bijwerken"
    assert page.evaluate("location.search") == "?open=nazorg"
    page.get_by_role("link", name="Aangifte bekijken of bijwerken").click()
    assert page.get_by_label("Registratienummer").input_value() == "PL-1"

    page.reload()
    assert page.locator("#nazorg").get_by_text("Gebeld").is_visible()
    assert page.get_by_label("Registratienummer").input_value() == ""
    console.assert_clean()


def test_refused_follow_up_form_comes_back_open_with_focus_on_the_problem(live_server, page, case):
    griffier, secret, melding = case
    login(page, live_server.url, griffier.email, PASSWORD, totp_secret=secret)
    page.goto(f"{live_server.url}/meldingen/{melding.pk}/")
    page.get_by_role("link", name="Opvolging bekijken of vastleggen").click()
    section = page.locator("#opvolging-dader")
    section.get_by_role("button", name="Maatregel vastleggen").wait_for()
    page.evaluate("document.querySelectorAll('form').forEach(f => { f.noValidate = true; })")
    section.get_by_label("Resultaat").fill("Brief verstuurd")
    with page.expect_navigation():
        section.get_by_role("button", name="Maatregel vastleggen").click()
    assert page.get_by_text("Dit is niet opgeslagen: controleer de invoer.").is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.locator("#opvolging-dader").get_by_label("Resultaat").input_value() == (
        "Brief verstuurd"
    )
    assert_accessible(page)
    # Another section opened on that page: the address becomes the case page's (with both
    # open), not the form's POST address, so a reload shows the case.
    page.get_by_role("link", name="Brief maken").click()
    page.get_by_role("button", name="Maak PDF").wait_for()
    assert page.evaluate("location.pathname") == f"/meldingen/{melding.pk}/"
    assert page.evaluate("location.search") == "?open=opvolging-dader&open=brieven"
    assert page.reload().status == 200
    assert page.get_by_role("button", name="Maak PDF").is_visible()


def test_without_javascript_the_links_open_the_section_on_the_page(live_server, browser, case):
    griffier, secret, melding = case
    context = browser.new_context(viewport=DESKTOP, locale="nl-NL", java_script_enabled=False)
    page = context.new_page()
    try:
        login(page, live_server.url, griffier.email, PASSWORD, totp_secret=secret)
        page.goto(f"{live_server.url}/meldingen/{melding.pk}/")
        with page.expect_navigation():
            page.get_by_role("link", name="Delen bekijken of beheren").click()
        assert page.url.endswith("?open=delen#delen")
        assert page.get_by_label("E-mailadres van de persoon").is_visible()
        with page.expect_navigation():
            page.get_by_role("link", name="Nazorg bekijken of vastleggen").click()
        assert page.url.endswith("?open=nazorg&open=delen#nazorg")
        assert page.locator("#nazorg").get_by_text("Gebeld").is_visible()
        assert page.get_by_label("E-mailadres van de persoon").is_visible()
        with page.expect_navigation():
            page.locator("#delen").get_by_role("link", name="Sluiten").click()
        assert page.get_by_label("E-mailadres van de persoon").count() == 0
    finally:
        context.close()
