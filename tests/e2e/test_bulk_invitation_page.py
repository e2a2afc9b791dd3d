"""A whole council at once, in Chromium: the griffier (signed in with TOTP) pastes 45 people,
picks a file that cannot be read (the pasted list stays), gets the one wrong address shown
in Dutch on its row, corrects it in the list as text, and sends all 45 after the check.
No axe violations at 1280 and at 360 pixels wide."""

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP

from tests.factories import PASSWORD, make_user
from weerbaar.constants import Role
from weerbaar.models import Invitation, MembershipRequest, Notification, Organisation

from .helpers import assert_accessible, login, watch_console

pytestmark = pytest.mark.django_db(transaction=True)

WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 360, "height": 780}


@pytest.fixture
def griffier(organisations):
    amersfoort = Organisation.objects.get(code="GM0307")
    user = make_user(Role.GRIFFIER, amersfoort, full_name="Gerda de Griffier")
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    return user, secret, amersfoort


def council_text():
    lines = ["naam;e-mailadres;functie;startdatum"]
    lines += [f"Raadslid {i};lid{i}@amersfoort.example.org;raadslid;2-4-2026" for i in range(42)]
    lines += [
        "Wim Wethouder;wim@amersfoort.example.org;wethouder;",
        "Karin Kandidaat;karin@amersfoort.example.org;Kandidaat-raadslid;",
        "Nieuwe Griffier;griffie@amersfoort.example.org;griffier;",
    ]
    return "\n".join(lines).replace("lid7@amersfoort.example.org", "lid7@amersfoort")


def both_widths(page):
    for size in (WIDE, NARROW):
        page.set_viewport_size(size)
        assert_accessible(page)
    page.set_viewport_size(WIDE)


def test_griffier_invites_a_council_of_45_fixing_one_address_in_the_preview(
    live_server, page, griffier
):
    user, secret, amersfoort = griffier
    page.set_viewport_size(WIDE)
    login(page, live_server.url, user.email, PASSWORD, totp_secret=secret)
    console = watch_console(page)
    page.goto(f"{live_server.url}/uitnodigingen/")
    page.get_by_role("link", name="Een hele lijst tegelijk uitnodigen").click()
    page.get_by_role("heading", name="Een lijst mensen uitnodigen").wait_for()
    both_widths(page)

    text = council_text()
    page.get_by_label("De lijst", exact=True).fill(text)
    page.get_by_label("Of kies een bestand").set_input_files(
        files=[
            {
                "name": "raad.xls",
                "mimeType": "application/vnd.ms-excel",
                "buffer": b"\xd0\xcf\x11\xe0" + b"\x00" * 64,
            }
        ]
    )
    page.get_by_role("button", name="Lijst controleren").click()
    page.get_by_role("heading", name="Er is een probleem").wait_for()
    page.get_by_text("Sla de lijst op als .xlsx of als .csv").first.wait_for()
    assert page.get_by_label("De lijst", exact=True).input_value() == text
    both_widths(page)

    page.get_by_label("Of kies een bestand").set_input_files([])
    page.get_by_role("button", name="Lijst controleren").click()
    page.get_by_role("heading", name="Er is 1 regel met een fout").wait_for()
    summary = page.locator(".wb-error-summary")
    assert "Regel 8" in summary.inner_text()
    assert "“lid7@amersfoort” is geen geldig e-mailadres" in summary.inner_text()
    summary.get_by_role("link").first.click()
    assert page.url.endswith("#rij-8")
    assert page.locator("#rij-8").get_by_text("Fout:").is_visible()
    assert page.get_by_role("button", name="uitnodigingen versturen").count() == 0
    assert page.get_by_label("De lijst", exact=True).input_value() == text
    both_widths(page)
    assert not Invitation.objects.exists()

    page.get_by_label("De lijst", exact=True).fill(
        text.replace("lid7@amersfoort;", "lid7@amersfoort.example.org;")
    )
    page.get_by_role("button", name="Opnieuw controleren").click()
    page.get_by_text("De lijst klopt: 45 personen voor Gemeente Amersfoort.").wait_for()
    page.get_by_text("1 rol gaat pas in als een tweede persoon die goedkeurt.").wait_for()
    both_widths(page)
    assert not Invitation.objects.exists()

    page.get_by_role("button", name="45 uitnodigingen versturen").click()
    page.get_by_text("45 uitnodigingen staan klaar en worden nu verstuurd.").wait_for()
    # Who has not accepted yet, with what the griffier can do about it.
    assert page.get_by_role("button", name="Opnieuw versturen aan lid7@amersfoort.example.org")
    assert page.get_by_role(
        "button", name="Intrekken uitnodiging aan lid7@amersfoort.example.org"
    ).is_visible()
    both_widths(page)

    assert Invitation.objects.filter(organisation=amersfoort).count() == 45
    assert Notification.objects.filter(kind="weerbaar.invitation").count() == 45
    griffie = MembershipRequest.objects.get(email="griffie@amersfoort.example.org")
    assert griffie.four_eyes and griffie.is_pending
    assert not console.csp_violations
