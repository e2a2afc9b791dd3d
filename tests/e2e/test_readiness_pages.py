"""The readiness screens in Chromium (issue 19 §3): the griffier's checklist on the start
page of a freshly loaded gemeente, and the national page of the functioneel beheerder,
filtered to one province and sorted by state; no axe violations."""

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP

from tests.factories import PASSWORD, make_user
from weerbaar.constants import Role
from weerbaar.models import Organisation

from .helpers import assert_accessible, login, watch_console

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def _with_totp(role, organisation, name):
    user = make_user(role, organisation, full_name=name)
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    return user, secret


def test_griffier_sees_the_checklist_of_a_freshly_loaded_gemeente(live_server, page, organisations):
    amersfoort = Organisation.objects.get(code="GM0307")
    user, secret = _with_totp(Role.GRIFFIER, amersfoort, "Gerda de Griffier")
    login(page, live_server.url, user.email, PASSWORD, totp_secret=secret)
    console = watch_console(page)
    page.goto(live_server.url)
    page.get_by_role("heading", name="Klaar voor gebruik? — Amersfoort").wait_for()
    page.get_by_text("Nog 4 punten te doen.").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Adres voor aangifte (domicilie) ingevuld").click()
    page.get_by_role("heading", name="Profiel van Gemeente Amersfoort").wait_for()
    assert not console.errors and not console.csp_violations


def test_beheerder_filters_the_national_page(live_server, page, organisations):
    bzk = Organisation.objects.get(code="BZK")
    user, secret = _with_totp(Role.FUNCTIONEEL_BEHEERDER, bzk, "Bea Beheer")
    login(page, live_server.url, user.email, PASSWORD, totp_secret=secret)
    console = watch_console(page)
    page.goto(live_server.url)
    page.get_by_role("link", name="Gereedheid organisaties").click()
    page.get_by_role("heading", name="Gereedheid organisaties").wait_for()
    page.get_by_text("0 gereed, 375 nog niet gereed.").wait_for()
    assert_accessible(page)
    page.get_by_label("Provincie").select_option(label="Provincie Utrecht")
    page.get_by_label("Soort").select_option(label="Gemeente")
    page.get_by_label("Sorteren").select_option(label="Meeste ontbrekend eerst")
    page.get_by_role("button", name="Toon").click()
    page.get_by_role("row", name="Gemeente Amersfoort").wait_for()
    assert page.get_by_role("row", name="Gemeente Groningen").count() == 0
    assert_accessible(page)
    page.get_by_role("row", name="Gemeente Amersfoort").get_by_role(
        "link", name="adres ontbreekt"
    ).click()
    page.get_by_role("heading", name="Profiel van Gemeente Amersfoort").wait_for()
    assert not console.errors and not console.csp_violations
