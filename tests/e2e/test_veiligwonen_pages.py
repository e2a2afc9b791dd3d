"""Veilig Wonen in a real browser: the application form, the intake queue and the case
page pass axe-core (WCAG 2.1 AA) without CSP violations, and a wethouder can apply with
the keyboard-usable form on a small screen."""

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP

from tests.factories import PASSWORD, make_user
from tests.veiligwonen.factories import Cast, submit, to_scan_done
from veiligwonen import services
from veiligwonen.models import Application
from weerbaar.constants import Role

from .helpers import assert_accessible, login, watch_console

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cast(gemeente_a, gemeente_b, bzk, ccv):
    return Cast(gemeente_a, gemeente_b, bzk, ccv)


def _with_totp(user):
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    return secret


@pytest.mark.parametrize("viewport", ["page", "mobile_page"])
def test_wethouder_applies_on_an_accessible_form(live_server, request, viewport, cast):
    page = request.getfixturevalue(viewport)
    console = watch_console(page)
    login(page, live_server.url, cast.wethouder.email, PASSWORD)
    page.goto(f"{live_server.url}/veilig-wonen/aanvragen/nieuw/")
    assert_accessible(page)
    page.get_by_label("Woonadres").fill("Geheimelaan 7, 3511 AA Utrecht")
    page.get_by_label("Ik ben recent bedreigd").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Aanvraag indienen").click()
    assert page.get_by_text("Uw aanvraag is ingediend.").is_visible()
    assert Application.objects.filter(applicant=cast.wethouder, urgency_class="hoog").exists()
    assert_accessible(page)
    console.assert_clean()


def test_intake_queue_and_case_page_are_accessible(live_server, page, cast):
    submit(cast, recent_threats=True, incidents_at_home=True)
    submit(cast, cast.wethouder)
    in_progress = to_scan_done(
        cast, submit(cast, make_user(Role.OFFICE_HOLDER, cast.gemeente, "wethouder"))
    )
    services.start_advice(in_progress, actor=cast.adviser)
    secret = _with_totp(cast.intake)
    console = watch_console(page)
    login(page, live_server.url, cast.intake.email, PASSWORD, totp_secret=secret)
    page.goto(f"{live_server.url}/veilig-wonen/wachtrij/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Oppakken").first.click()
    page.goto(f"{live_server.url}/veilig-wonen/wachtrij/")
    first = page.locator("table.vw-queue tbody tr").first.locator("a").first
    with page.expect_navigation():
        first.click()
    assert page.get_by_text("Intakegesprek plannen").first.is_visible()
    assert_accessible(page)
    console.assert_clean()


def test_adviser_case_page_with_draft_advice_is_accessible(live_server, page, cast):
    app = to_scan_done(cast, submit(cast))
    services.start_advice(app, actor=cast.adviser)
    secret = _with_totp(cast.adviser)
    console = watch_console(page)
    login(page, live_server.url, cast.adviser.email, PASSWORD, totp_secret=secret)
    page.goto(f"{live_server.url}/veilig-wonen/{app.pk}/")
    assert page.get_by_text("Maatregel toevoegen").first.is_visible()
    assert_accessible(page)
    console.assert_clean()


def test_hand_off_is_recorded_in_the_browser_and_both_case_pages_are_accessible(
    live_server, page, cast
):
    """BZK records the hand-off and then the receipt through the plain forms; the pending
    and the closed case page pass axe, for BZK and for the applicant."""
    from django.utils import timezone

    from veiligwonen.constants import Status

    app = submit(cast, recent_threats=True)
    secret = _with_totp(cast.intake)
    console = watch_console(page)
    login(page, live_server.url, cast.intake.email, PASSWORD, totp_secret=secret)
    page.goto(f"{live_server.url}/veilig-wonen/{app.pk}/")
    form = page.locator("form", has=page.get_by_label("Ontvangende eenheid"))
    form.get_by_label("Ontvangende eenheid").select_option("rotterdam")
    form.get_by_label("Contactpersoon bij de eenheid").fill("Inspecteur De Vries")
    form.get_by_label("Datum van de overdracht").fill(timezone.localdate().isoformat())
    form.get_by_label("Kenmerk van de eenheid").fill("PL1700-1")
    form.get_by_label("Samenvatting van de dreiging voor de eenheid").fill("Dreigbrief")
    with page.expect_navigation():
        form.get_by_role("button", name="Overdragen aan het Stelsel").click()
    assert Application.objects.get(pk=app.pk).status == Status.HANDOFF_PENDING
    assert page.get_by_text("De eenheid heeft de ontvangst nog niet bevestigd.").is_visible()
    assert page.get_by_role("link", name="Overdrachtsdocument voor de eenheid (PDF)").is_visible()
    assert_accessible(page)
    form = page.locator("form", has=page.get_by_label("Datum van de bevestiging"))
    form.get_by_label("Ontvangst bevestigd door (naam bij de eenheid)").fill("Brigadier Jansen")
    form.get_by_label("Datum van de bevestiging").fill(timezone.localdate().isoformat())
    with page.expect_navigation():
        form.get_by_role("button", name="Ontvangst van de overdracht vastleggen").click()
    assert Application.objects.get(pk=app.pk).status == Status.HANDED_OFF
    assert_accessible(page)
    console.assert_clean()

    applicant = page.context.browser.new_page()
    login(applicant, live_server.url, cast.burgemeester.email, PASSWORD)
    applicant.goto(f"{live_server.url}/veilig-wonen/{app.pk}/")
    assert applicant.get_by_text(
        "Politie-eenheid Rotterdam heeft uw aanvraag ontvangen en neemt contact met u op."
    ).is_visible()
    assert (
        applicant.get_by_role("link", name="Overdrachtsdocument voor de eenheid (PDF)").count() == 0
    )
    assert_accessible(applicant)
    applicant.close()
