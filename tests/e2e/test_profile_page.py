"""The organisation's profile page in Chromium: the griffier of a freshly loaded gemeente
(signed in with TOTP) fills it in from the start page, a mistake is shown in Dutch with what
was typed kept, and the saved values are shown; no axe violations on either state."""

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP

from tests.factories import PASSWORD, make_user
from weerbaar.constants import Role
from weerbaar.models import Organisation, OrganisationProfile

from .helpers import assert_accessible, login, watch_console

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def griffier(organisations):
    amersfoort = Organisation.objects.get(code="GM0307")
    user = make_user(Role.GRIFFIER, amersfoort, full_name="Gerda de Griffier")
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    return user, secret, amersfoort


def test_griffier_fills_in_the_profile_of_a_freshly_loaded_gemeente(live_server, page, griffier):
    user, secret, amersfoort = griffier
    login(page, live_server.url, user.email, PASSWORD, totp_secret=secret)
    console = watch_console(page)
    page.goto(live_server.url)
    page.get_by_role("link", name="Profiel van de organisatie").click()
    page.get_by_role("heading", name="Profiel van Gemeente Amersfoort").wait_for()
    page.get_by_text("Het bezoekadres is nog niet compleet.").wait_for()
    assert_accessible(page)

    page.get_by_label("Straat en huisnummer", exact=True).first.fill("Stadhuisplein 1")
    page.locator("#id_visit_postcode").fill("38111 LM")
    page.locator("#id_visit_place").fill("Amersfoort")
    page.locator("#id_phone").fill("14 033")
    page.locator("#id_email").fill("griffie@amersfoort.nl")
    page.get_by_label("Wijkagent: naam").fill("Wim Wijkagent")
    page.get_by_role("button", name="Profiel opslaan").click()
    page.get_by_role("heading", name="Er is een probleem").wait_for()
    assert page.locator("#id_visit_street").input_value() == "Stadhuisplein 1"
    assert page.get_by_label("Wijkagent: naam").input_value() == "Wim Wijkagent"
    assert_accessible(page)

    page.locator("#id_visit_postcode").fill("3811 lm")
    page.get_by_role("button", name="Profiel opslaan").click()
    page.get_by_text("Het profiel is opgeslagen.").wait_for()
    summary = page.locator(".wb-profile-summary").inner_text()
    assert "Stadhuisplein 1" in summary and "3811 LM Amersfoort" in summary
    assert page.locator("#id_visit_postcode").input_value() == "3811 LM"
    assert page.get_by_label("Wijkagent: naam").input_value() == "Wim Wijkagent"
    assert page.get_by_text("Het bezoekadres is nog niet compleet.").count() == 0
    assert_accessible(page)
    # Chromium logs the refused (400) document itself as a console error; nothing else.
    assert not console.csp_violations
    assert all("status of 400" in e for e in console.errors), console.errors

    profile = OrganisationProfile.objects.get(organisation=amersfoort)
    assert profile.visiting_address_lines == ("Stadhuisplein 1", "3811 LM Amersfoort")
