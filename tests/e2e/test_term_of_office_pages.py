"""The term of office in Chromium (issue 20 §3): after an election the griffier ends the
roles of everyone not re-elected from the people page (a mistake is shown in Dutch with the
ticks and text kept; a preview before anything ends), and a raadslid who left office reads
their old melding and the griffier's message, answers it, and files a new melding as
oud-raadslid to the same griffier. No axe violations at 1280 and 360 pixels."""

import re
from datetime import timedelta

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from incidents import services
from incidents.constants import Route
from incidents.models import Melding, Message
from tests.factories import PASSWORD, make_user
from tests.incidents.factories import make_melding
from weerbaar import memberships
from weerbaar.constants import Position, Role
from weerbaar.models import Membership, Organisation

from .helpers import assert_accessible, login, watch_console

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def amersfoort(organisations):
    return Organisation.objects.get(code="GM0307")


@pytest.fixture
def griffier(amersfoort):
    user = make_user(Role.GRIFFIER, amersfoort, full_name="Gerda de Griffier")
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    return user, secret


@pytest.fixture
def council(amersfoort):
    return {
        "anna": make_user(
            Role.OFFICE_HOLDER, amersfoort, Position.RAADSLID, full_name="Anna Blijft"
        ),
        "bert": make_user(Role.OFFICE_HOLDER, amersfoort, Position.RAADSLID, full_name="Bert Gaat"),
        "cees": make_user(
            Role.OFFICE_HOLDER, amersfoort, Position.WETHOUDER, full_name="Cees Stopt"
        ),
    }


def test_griffier_ends_the_roles_of_those_not_reelected(
    live_server, page, mobile_page, griffier, council
):
    user, secret = griffier
    login(page, live_server.url, user.email, PASSWORD, totp_secret=secret)
    console = watch_console(page)
    page.get_by_role("link", name="Mensen van uw organisatie").click()
    page.get_by_role("heading", name="Mensen van Amersfoort").wait_for()
    assert page.get_by_role("link", name=re.compile("Beëindigen.*Bert Gaat")).count() == 1
    assert_accessible(page)

    page.get_by_role("link", name="Na de verkiezingen: wie is herkozen?").click()
    page.get_by_role("heading", name="Na de verkiezingen: wie is herkozen?").wait_for()
    assert_accessible(page)
    page.get_by_label("Anna Blijft — Raadslid").check()
    page.get_by_label("Reden (niet verplicht)").fill("Gemeenteraadsverkiezingen 2026")
    page.get_by_role("button", name="Bekijk wie er stopt").click()
    page.get_by_role("heading", name="Er is een probleem").wait_for()
    assert page.get_by_text("Vul de einddatum in.").first.is_visible()
    assert page.get_by_label("Anna Blijft — Raadslid").is_checked()
    assert not page.get_by_label("Bert Gaat — Raadslid").is_checked()
    assert page.get_by_label("Reden (niet verplicht)").input_value() == (
        "Gemeenteraadsverkiezingen 2026"
    )
    assert_accessible(page)

    day = timezone.localdate() + timedelta(days=20)
    page.get_by_label("Einddatum").fill(day.isoformat())
    page.get_by_role("button", name="Bekijk wie er stopt").click()
    page.get_by_role("heading", name="Klopt dit?").wait_for()
    leaving = page.get_by_test_id("leaving").inner_text()
    assert "Bert Gaat" in leaving and "Cees Stopt" in leaving and "Anna" not in leaving
    assert "Anna Blijft" in page.get_by_test_id("staying").inner_text()
    assert not Membership.objects.filter(valid_until__isnull=False).exists()
    assert_accessible(page)

    page.get_by_role("button", name="Ja, deze rollen beëindigen").click()
    page.get_by_text("De rollen van 2 personen worden beëindigd.").wait_for()
    assert page.get_by_text("(einde gepland)").count() == 2
    assert_accessible(page)
    ended = Membership.objects.filter(valid_until__isnull=False)
    assert set(ended.values_list("user_id", flat=True)) == {
        council["bert"].pk,
        council["cees"].pk,
    }
    assert {timezone.localdate(m.valid_until) for m in ended} == {day}
    assert not console.csp_violations

    # The same pages on a small phone.
    login(mobile_page, live_server.url, user.email, PASSWORD, totp_secret=secret)
    mobile_page.goto(f"{live_server.url}/mensen/")
    mobile_page.get_by_role("heading", name="Mensen van Amersfoort").wait_for()
    assert_accessible(mobile_page)
    mobile_page.goto(f"{live_server.url}/mensen/verkiezingen/")
    mobile_page.get_by_role("heading", name="Na de verkiezingen: wie is herkozen?").wait_for()
    assert_accessible(mobile_page)


def test_former_raadslid_reads_old_melding_answers_and_files_as_oud_raadslid(
    live_server, page, mobile_page, griffier, council, amersfoort
):
    user, _secret = griffier
    bert = council["bert"]
    old = make_melding(bert)
    services.post_message(old, "Wilt u ons terugbellen?", actor=user)
    memberships.end(membership=bert.active_memberships[0], actor=user, reason="verkiezingen")

    login(page, live_server.url, bert.email, PASSWORD)
    console = watch_console(page)
    page.locator("#main").get_by_role("link", name="Mijn meldingen").click()
    page.get_by_role("heading", name="Mijn meldingen").wait_for()
    assert_accessible(page)
    page.locator(f"a[href='/meldingen/{old.pk}/']").first.click()
    page.get_by_text("Wilt u ons terugbellen?").wait_for()
    assert_accessible(page)
    page.get_by_label("Bericht", exact=False).last.fill("Ja, morgen na 10 uur.")
    page.get_by_role("button", name="Bericht versturen").click()
    page.get_by_text("Uw bericht is verstuurd.").wait_for()
    answers = Message.objects.filter(melding=old, author=bert)
    assert [m.body for m in answers] == ["Ja, morgen na 10 uur."]

    # A new melding, as oud-raadslid, to the griffier of Amersfoort; a mistake first.
    page.goto(f"{live_server.url}/meldingen/nieuw/")
    assert page.locator(".inc-recipients").get_by_text("Gerda de Griffier", exact=False).count()
    page.get_by_label("Wanneer gebeurde het?").fill("2026-11-27T21:30")
    page.get_by_label("Online", exact=True).check()
    page.get_by_label("Sociale media").check()
    page.get_by_label("Een gesprek").check()
    page.get_by_label("Wat is er gebeurd?").fill("Een oud-collega bedreigde mij op straat.")
    page.get_by_role("button", name="Melding versturen").click()
    page.get_by_role("heading", name="Er is een probleem").wait_for()
    assert page.get_by_label("Wat is er gebeurd?").input_value() == (
        "Een oud-collega bedreigde mij op straat."
    )
    assert_accessible(page)
    page.get_by_label("Bedreiging", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Melding versturen").click()
    assert page.get_by_text("Uw melding is verstuurd.").is_visible()
    new = Melding.objects.exclude(pk=old.pk).get(reporter=bert)
    assert (new.route, new.route_organisation, new.reporter_role) == (
        Route.GRIFFIER,
        amersfoort,
        Role.FORMER_OFFICE_HOLDER,
    )
    assert not console.csp_violations

    login(mobile_page, live_server.url, bert.email, PASSWORD)
    mobile_page.goto(f"{live_server.url}/meldingen/{old.pk}/")
    mobile_page.get_by_text("Ja, morgen na 10 uur.").wait_for()
    assert_accessible(mobile_page)
