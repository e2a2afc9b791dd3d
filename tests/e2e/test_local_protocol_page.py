"""The local protocol in a real browser: a griffier (with TOTP) adds the burgemeester to a
raadslid's route, sees the preview with the names, confirms; a raadslid then sees both as
recipients on the filing page, and the protocol text. Every screen passes axe-core (WCAG
2.1 AA) without CSP violations."""

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP

from incidents.models import ProtocolRoute
from tests.factories import PASSWORD, make_user
from weerbaar.constants import Position, Role

from .helpers import assert_accessible, login, watch_console

pytestmark = pytest.mark.django_db(transaction=True)


def test_griffier_changes_the_raadslid_route_and_a_raadslid_sees_it(
    live_server, page, mobile_page, gemeente_a
):
    raadslid = make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    griffier = make_user(Role.GRIFFIER, gemeente_a)
    burgemeester = make_user(Role.VOORZITTER, gemeente_a)
    secret = pyotp.random_base32()
    TOTP.activate(griffier, secret)
    console = watch_console(page)
    login(page, live_server.url, griffier.email, PASSWORD, totp_secret=secret)
    page.get_by_role("link", name="Lokaal protocol").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", name="Lokaal protocol van Utrecht").is_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Raadslid: ontvangt ook").get_by_label(
        "Burgemeester (voorzitter)"
    ).check()
    page.get_by_label("Bij wie meldt u? (Nederlands)").fill(
        "Meld bij de griffie.\nBij spoed: de burgemeester."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Controleren").click()
    assert page.get_by_role("heading", name="Controleer het protocol voordat u het opslaat")
    raad = page.locator("dt:text-is('Raadslid') + dd [data-protocol=receivers]")
    assert raad.get_by_text(f"{griffier.full_name} — Griffier, Gemeente Utrecht").is_visible()
    assert raad.get_by_text(
        f"{burgemeester.full_name} — Burgemeester (voorzitter), Gemeente Utrecht"
    ).is_visible()
    assert not ProtocolRoute.objects.exists()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Opslaan").click()
    assert page.get_by_text("Het protocol is opgeslagen.").is_visible()
    assert ProtocolRoute.objects.get().receive == [Role.VOORZITTER]
    assert_accessible(page)
    console.assert_clean()

    reporter_page = mobile_page  # the raadslid, on a phone
    console = watch_console(reporter_page)
    login(reporter_page, live_server.url, raadslid.email, PASSWORD)
    assert reporter_page.get_by_text("Bij spoed: de burgemeester.").is_visible()
    assert_accessible(reporter_page)
    reporter_page.goto(f"{live_server.url}/meldingen/nieuw/")
    assert reporter_page.get_by_text("Meld bij de griffie.").is_visible()
    assert_accessible(reporter_page)
    # On a phone the recipients are on the form's last screen, with the send button.
    reporter_page.get_by_label("Wanneer gebeurde het?").fill("2026-11-27T21:30")
    reporter_page.get_by_label("Online", exact=True).check()
    reporter_page.get_by_label("Sociale media").check()
    reporter_page.get_by_label("Bedreiging", exact=True).check()
    reporter_page.get_by_label("Wat is er gebeurd?").fill("Dreigende berichten na de raad.")
    for _part in (1, 2):
        reporter_page.locator("[data-step-next]:visible").click()
    shown = reporter_page.locator("section.inc-recipients")
    assert shown.get_by_text(f"{griffier.full_name} — Griffier, Gemeente Utrecht").is_visible()
    assert shown.get_by_text(
        f"{burgemeester.full_name} — Burgemeester (voorzitter), Gemeente Utrecht"
    ).is_visible()
    assert_accessible(reporter_page)
    console.assert_clean()
