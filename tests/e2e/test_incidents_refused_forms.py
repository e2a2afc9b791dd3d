"""A refused form on the case page in a real browser: what was typed stays, focus goes to
the error summary, the page stays accessible, and the next visit shows an empty form."""

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP

from tests.factories import PASSWORD, make_user
from tests.incidents.factories import make_melding
from weerbaar.constants import Position, Role

from .helpers import assert_accessible, login, watch_console

pytestmark = pytest.mark.django_db(transaction=True)


def test_refused_share_and_note_come_back_accessible_with_focus_on_the_problem(
    live_server, page, gemeente_a
):
    raadslid = make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    griffier = make_user(Role.GRIFFIER, gemeente_a)
    secret = pyotp.random_base32()
    TOTP.activate(griffier, secret)
    melding = make_melding(raadslid)
    console = watch_console(page)
    login(page, live_server.url, griffier.email, PASSWORD, totp_secret=secret)
    case = f"{live_server.url}/meldingen/{melding.pk}/"
    page.goto(case)
    # Sharing is one of the follow-up sections, closed until opened.
    page.get_by_role("link", name="Delen bekijken of beheren").click()
    page.get_by_label("E-mailadres van de persoon").wait_for()
    # An address without an account is shared with nobody and not refused (the form must
    # not tell who has an account); a malformed one is. The browser's own check of the
    # email field is switched off so that the portal's answer is what is tested.
    page.evaluate("document.querySelectorAll('form').forEach(f => { f.noValidate = true; })")
    page.get_by_label("E-mailadres van de persoon").fill("geen adres")
    with page.expect_navigation():
        page.get_by_role("button", name="Delen", exact=True).click()
    assert page.get_by_label("E-mailadres van de persoon").input_value() == "geen adres"
    assert page.get_by_text("Dit is niet opgeslagen: controleer de invoer.").is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.get_by_role(
        "link", name="E-mailadres van de persoon: Voer een geldig e-mailadres in."
    ).is_visible()
    assert_accessible(page)
    page.get_by_role("textbox", name="Interne notitie").fill("   ")
    with page.expect_navigation():
        page.get_by_role("button", name="Notitie opslaan").click()
    assert page.get_by_text("Dit veld is verplicht.").first.is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert_accessible(page)
    page.goto(case)
    page.get_by_role("link", name="Delen bekijken of beheren").click()
    assert page.get_by_label("E-mailadres van de persoon").input_value() == ""
    # Chromium logs the 400 document itself as a console error; no CSP violations.
    assert not console.csp_violations
    assert all("status of 400" in e for e in console.errors), console.errors
