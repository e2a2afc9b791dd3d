"""The whole path of a melding in a real browser for the reporters besides the raadslid: a
wethouder, a civil servant and a confidential report. Each is filed through the form after the
reporter has seen who receives it; the right triager signs in with password and TOTP, finds it
on the triage dashboard and acknowledges it; someone it was not routed to gets a 404 on the
case URL. The unit tests in ``tests/incidents/test_whole_path.py`` cover the same routes
without the browser; these prove the pages wire them up."""

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP

from incidents.constants import Route, Status
from incidents.models import Melding
from tests.factories import PASSWORD, make_user
from weerbaar.constants import Position, Role

from .conftest import DESKTOP
from .helpers import assert_accessible, login, watch_console

pytestmark = pytest.mark.django_db(transaction=True)

OTWB_LABEL = "Een vertrouwenspersoon van het OTWB (Ondersteuningsteam Weerbaar Bestuur)"


@pytest.fixture
def new_page(browser):
    """Pages in separate browser contexts, so reporter, triager and outsider each have their
    own session cookies within one test."""
    contexts = []

    def make():
        context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def with_totp(user):
    """Activate TOTP for ``user`` as the portal requires for triagers; returns the secret."""
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    return secret


def file_melding(page, base_url, reporter, *, expected, unexpected=(), confidential=False):
    """Fill in and send the filing form as ``reporter``, first checking that exactly the
    ``expected`` recipients are shown and none of the ``unexpected`` ones."""
    login(page, base_url, reporter.email, PASSWORD)
    page.goto(f"{base_url}/meldingen/nieuw/")
    page.get_by_label("Wanneer gebeurde het?").fill("2026-11-27T21:30")
    page.get_by_label("Online", exact=True).check()
    page.get_by_label("Sociale media").check()
    page.get_by_label("Bedreiging", exact=True).check()
    page.get_by_label("Wat is er gebeurd?").fill("Na de vergadering kreeg ik dreigende berichten.")
    page.get_by_label("Een gesprek").check()
    if confidential:
        page.get_by_label("Vertrouwelijk:").check()
    recipients = page.locator(".inc-recipients")
    for label in expected:
        assert recipients.get_by_text(label, exact=True).is_visible(), label
    for label in unexpected:
        assert not recipients.get_by_text(label, exact=True).is_visible(), label
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Melding versturen").click()
    assert page.get_by_text("Uw melding is verstuurd.").is_visible()
    return Melding.objects.get(reporter=reporter)


def acknowledge_on_dashboard(page, base_url, triager, melding):
    """Sign in as ``triager`` with TOTP, open the melding from the triage dashboard and take
    it into triage."""
    login(page, base_url, triager.email, PASSWORD, totp_secret=with_totp(triager))
    page.goto(f"{base_url}/meldingen/triage/")
    link = page.get_by_role("link", name=melding.reference)
    assert link.is_visible()
    with page.expect_navigation():
        link.click()
    assert page.url == f"{base_url}/meldingen/{melding.pk}/"
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Ontvangst bevestigd", exact=True).click()
    melding.refresh_from_db()
    assert melding.status == Status.IN_TRIAGE
    assert_accessible(page)


def assert_case_not_found(page, base_url, outsider, melding):
    """``outsider`` signs in and gets a 404 on the case URL and does not see the melding on
    their dashboard. Their page is not watched: the 404 itself logs a console error."""
    login(page, base_url, outsider.email, PASSWORD, totp_secret=with_totp(outsider))
    response = page.goto(f"{base_url}/meldingen/{melding.pk}/")
    assert response.status == 404, outsider
    page.goto(f"{base_url}/meldingen/triage/")
    assert page.get_by_role("link", name=melding.reference).count() == 0


def test_wethouder_melding_reaches_secretaris_and_voorzitter_not_griffier(
    live_server, new_page, gemeente_a, gemeente_b
):
    wethouder = make_user(Role.OFFICE_HOLDER, gemeente_a, Position.WETHOUDER)
    secretaris = make_user(Role.SECRETARIS, gemeente_a)
    voorzitter = make_user(Role.VOORZITTER, gemeente_a)
    griffier = make_user(Role.GRIFFIER, gemeente_a)
    secretaris_b = make_user(Role.SECRETARIS, gemeente_b)
    reporter_page, triager_page = new_page(), new_page()
    consoles = [watch_console(reporter_page), watch_console(triager_page)]

    melding = file_melding(
        reporter_page,
        live_server.url,
        wethouder,
        expected=[
            f"{secretaris.full_name} — Gemeentesecretaris, Gemeente Utrecht",
            f"{voorzitter.full_name} — Burgemeester (voorzitter), Gemeente Utrecht",
        ],
        unexpected=[f"{griffier.full_name} — Griffier, Gemeente Utrecht"],
    )
    assert (melding.route, melding.route_organisation) == (Route.EXECUTIVE, gemeente_a)
    acknowledge_on_dashboard(triager_page, live_server.url, voorzitter, melding)
    assert_case_not_found(new_page(), live_server.url, griffier, melding)
    assert_case_not_found(new_page(), live_server.url, secretaris_b, melding)
    for console in consoles:
        console.assert_clean()


def test_civil_servant_melding_reaches_secretaris_only(live_server, new_page, gemeente_a):
    ambtenaar = make_user(Role.CIVIL_SERVANT, gemeente_a)
    secretaris = make_user(Role.SECRETARIS, gemeente_a)
    voorzitter = make_user(Role.VOORZITTER, gemeente_a)
    griffier = make_user(Role.GRIFFIER, gemeente_a)
    reporter_page, triager_page = new_page(), new_page()
    consoles = [watch_console(reporter_page), watch_console(triager_page)]

    melding = file_melding(
        reporter_page,
        live_server.url,
        ambtenaar,
        expected=[f"{secretaris.full_name} — Gemeentesecretaris, Gemeente Utrecht"],
        unexpected=[
            f"{voorzitter.full_name} — Burgemeester (voorzitter), Gemeente Utrecht",
            f"{griffier.full_name} — Griffier, Gemeente Utrecht",
        ],
    )
    assert (melding.route, melding.route_organisation) == (Route.SECRETARIS, gemeente_a)
    acknowledge_on_dashboard(triager_page, live_server.url, secretaris, melding)
    assert_case_not_found(new_page(), live_server.url, voorzitter, melding)
    for console in consoles:
        console.assert_clean()


def test_confidential_melding_reaches_only_otwb_vertrouwenspersoon(
    live_server, new_page, gemeente_a, otwb_org
):
    raadslid = make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    griffier = make_user(Role.GRIFFIER, gemeente_a)
    secretaris = make_user(Role.SECRETARIS, gemeente_a)
    vertrouwenspersoon = make_user(Role.VERTROUWENSPERSOON, otwb_org)
    reporter_page, triager_page = new_page(), new_page()
    consoles = [watch_console(reporter_page), watch_console(triager_page)]

    melding = file_melding(
        reporter_page,
        live_server.url,
        raadslid,
        expected=[OTWB_LABEL],
        unexpected=[f"{griffier.full_name} — Griffier, Gemeente Utrecht"],
        confidential=True,
    )
    assert melding.route == Route.CONFIDENTIAL and melding.route_organisation is None
    acknowledge_on_dashboard(triager_page, live_server.url, vertrouwenspersoon, melding)
    assert_case_not_found(new_page(), live_server.url, griffier, melding)
    assert_case_not_found(new_page(), live_server.url, secretaris, melding)
    for console in consoles:
        console.assert_clean()
