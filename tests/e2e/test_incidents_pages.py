"""Meldingen in a real browser: a raadslid files on a 360 px screen with the keyboard, and
the form, the reporter's list, the triage dashboard and the case page pass axe-core
(WCAG 2.1 AA) without CSP violations."""

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP

from incidents.models import Melding
from tests.factories import PASSWORD, make_user
from tests.incidents.factories import make_melding
from weerbaar.constants import Position, Role

from .helpers import assert_accessible, login, watch_console

pytestmark = pytest.mark.django_db(transaction=True)


def test_raadslid_files_a_melding_on_a_small_screen(live_server, mobile_page, gemeente_a):
    page = mobile_page
    raadslid = make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    griffier = make_user(Role.GRIFFIER, gemeente_a)
    console = watch_console(page)
    login(page, live_server.url, raadslid.email, PASSWORD)
    page.goto(f"{live_server.url}/meldingen/nieuw/")
    assert page.get_by_text("Bel eerst 112").is_visible()
    assert_accessible(page)
    page.get_by_label("Wanneer gebeurde het?").fill("2026-11-27T21:30")
    page.get_by_label("Online", exact=True).check()
    page.get_by_label("Sociale media").check()
    page.get_by_label("Bedreiging", exact=True).check()
    page.get_by_label("Wat is er gebeurd?").fill("Na de vergadering kreeg ik dreigende berichten.")
    # The phone shows the form in three parts; the keyboard moves on with "Volgende".
    for _part in (1, 2):
        page.locator("[data-step-next]:visible").focus()
        page.keyboard.press("Enter")
    assert page.get_by_text(f"{griffier.full_name} — Griffier, Gemeente Utrecht").is_visible()
    page.get_by_label("Een gesprek").check()
    page.get_by_role("button", name="Melding versturen").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Uw melding is verstuurd.").is_visible()
    melding = Melding.objects.get(reporter=raadslid)
    assert melding.status == "submitted" and melding.route_organisation == gemeente_a
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
    page.goto(f"{live_server.url}/meldingen/")
    assert page.get_by_role("link", name=melding.reference).is_visible()
    assert_accessible(page)
    console.assert_clean()


def test_dashboard_and_case_page_are_accessible(live_server, page, gemeente_a):
    raadslid = make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    griffier = make_user(Role.GRIFFIER, gemeente_a)
    secret = pyotp.random_base32()
    TOTP.activate(griffier, secret)
    melding = make_melding(raadslid)
    make_melding(raadslid, categories=["verbal"])
    console = watch_console(page)
    login(page, live_server.url, griffier.email, PASSWORD, totp_secret=secret)
    page.goto(f"{live_server.url}/meldingen/triage/")
    assert page.get_by_role("link", name=melding.reference).is_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name=melding.reference).click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Ontvangst bevestigd", exact=True).click()
    assert Melding.objects.get(pk=melding.pk).status == "in_triage"
    assert_accessible(page)
    console.assert_clean()
