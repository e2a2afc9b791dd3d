"""Veilig Wonen in a real browser at 360 and 1280 px, axe-core on every page: the intake
queue shows each urgency class in words (not colour alone) with focusable, named table
regions; the costs page with Dutch amounts; an applicant adds a quote; the applicant and
BZK exchange messages."""

from datetime import date
from decimal import Decimal

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP

from tests.factories import PASSWORD
from tests.incidents.helpers import pdf_bytes
from tests.veiligwonen.factories import Cast, submit, to_issued
from veiligwonen import services
from veiligwonen.catalogue import load_catalogue
from veiligwonen.constants import MeasureStatus
from veiligwonen.models import Document, MeasureType, Message

from .helpers import assert_accessible, login, watch_console

pytestmark = pytest.mark.django_db(transaction=True)
VIEWPORTS = ["page", "mobile_page"]


@pytest.fixture
def cast(gemeente_a, gemeente_b, bzk, ccv):
    # A transactional test empties the tables, the catalogue of its data migration too.
    load_catalogue(MeasureType)
    return Cast(gemeente_a, gemeente_b, bzk, ccv)


def _with_totp(user):
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    return secret


def _table_regions_are_focusable_and_named(page):
    for region in page.locator(".wb-table-wrap").all():
        assert region.get_attribute("tabindex") == "0"
        assert region.get_attribute("role") == "region"
        assert region.get_attribute("aria-labelledby") or region.get_attribute("aria-label")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_queue_shows_urgency_in_words_and_costs_in_euros(live_server, request, viewport, cast):
    page = request.getfixturevalue(viewport)
    submit(cast, recent_threats=True, incidents_at_home=True, public_exposure=True)
    submit(cast, cast.wethouder)
    issued = to_issued(cast, submit(cast, cast.burgemeester))
    measure = issued.advice.measures.order_by("pk").first()
    services.update_measure(
        measure,
        actor=cast.secretaris,
        status=MeasureStatus.DONE,
        actual_cost=Decimal("2500"),
        completed_on=date(2026, 4, 1),
    )
    console = watch_console(page)
    login(page, live_server.url, cast.intake.email, PASSWORD, totp_secret=_with_totp(cast.intake))
    page.goto(f"{live_server.url}/veilig-wonen/wachtrij/")
    badges = page.locator("table.vw-queue .vw-class")
    texts = {badges.nth(i).inner_text().strip() for i in range(badges.count())}
    # Each class in words beside its colour; the threatened burgemeester above the wethouder.
    assert len(texts) == 2 and texts <= {"Spoed", "Hoog", "Normaal"}
    assert page.get_by_label("Alleen termijn overschreden").get_attribute("type") == "checkbox"
    assert "Onbekend" not in page.content() and "---------" not in page.content()
    _table_regions_are_focusable_and_named(page)
    assert_accessible(page)
    page.goto(f"{live_server.url}/veilig-wonen/kosten/")
    assert page.get_by_text("€\u00a02.500,00").first.is_visible()
    _table_regions_are_focusable_and_named(page)
    assert_accessible(page)
    console.assert_clean()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_applicant_adds_a_quote(live_server, request, viewport, cast, tmp_path):
    page = request.getfixturevalue(viewport)
    app = submit(cast)
    quote = tmp_path / "offerte sloten.pdf"
    quote.write_bytes(pdf_bytes(text="Offerte sloten"))
    console = watch_console(page)
    login(page, live_server.url, cast.burgemeester.email, PASSWORD)
    page.goto(f"{live_server.url}/veilig-wonen/{app.pk}/")
    assert_accessible(page)
    page.get_by_label("Offerte").check()
    page.get_by_label("Bestand (PDF, foto of schermafdruk, hoogstens 10 MB)").set_input_files(
        str(quote)
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Document toevoegen").click()
    assert page.get_by_text("Het document is toegevoegd.").is_visible()
    link = page.get_by_role("link", name="offerte sloten.pdf")
    assert link.is_visible()
    assert Document.objects.get(application=app).kind == "quote"
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "offerte sloten.pdf"
    assert_accessible(page)
    console.assert_clean()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_applicant_and_bzk_exchange_messages(live_server, request, viewport, cast, browser):
    page = request.getfixturevalue(viewport)
    app = submit(cast)
    console = watch_console(page)
    login(page, live_server.url, cast.burgemeester.email, PASSWORD)
    page.goto(f"{live_server.url}/veilig-wonen/{app.pk}/")
    page.get_by_label("Uw bericht").fill("Kan het intakegesprek na vijf uur?")
    with page.expect_navigation():
        page.get_by_role("button", name="Bericht versturen").click()
    assert page.get_by_text("Uw bericht is verstuurd.").is_visible()
    assert_accessible(page)

    staff = browser.new_context(viewport=page.viewport_size, locale="nl-NL").new_page()
    login(staff, live_server.url, cast.intake.email, PASSWORD, totp_secret=_with_totp(cast.intake))
    staff.goto(f"{live_server.url}/veilig-wonen/{app.pk}/#berichten")
    assert staff.get_by_text("Kan het intakegesprek na vijf uur?").is_visible()
    assert staff.locator("#berichten-heading").inner_text().endswith("1 nieuw")
    staff.get_by_label("Uw bericht").fill("Ja, donderdag om 17.00 uur.")
    with staff.expect_navigation():
        staff.get_by_role("button", name="Bericht versturen").click()
    assert_accessible(staff)
    staff.context.close()

    page.goto(f"{live_server.url}/veilig-wonen/{app.pk}/")
    assert page.get_by_text("Ja, donderdag om 17.00 uur.").is_visible()
    assert page.locator("#berichten-heading").inner_text().endswith("1 nieuw")
    assert Message.objects.filter(application=app).count() == 2
    assert_accessible(page)
    console.assert_clean()
