"""The triage dashboard and the case page in a real browser at 360 and 1280 px (issue 21 §3):
axe (WCAG 2.1 AA) without violations; on a phone each melding is a card whose status,
acknowledgement deadline and assignee are inside the viewport; after a save on the case page
the browser is back at that section (its anchor), not at the top. With ``WB_SCREENSHOTS=1``
screenshots of the viewport are saved in docs/screenshots/dashboard-<width>.png,
case-<width>.png (at the assessment) and case-follow-up-<width>.png (the follow-up sections,
closed until opened)."""

from itertools import pairwise

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP

from incidents import services
from incidents.constants import Category, Status
from incidents.models import Melding
from tests.factories import PASSWORD, make_user
from tests.incidents.factories import make_melding
from weerbaar.constants import Position, Role

from .helpers import DOCS, assert_accessible, keeps_screenshots, login, watch_console

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = DOCS / "screenshots"
VIEWPORTS = {"mobile_page": 360, "page": 1280}


@pytest.fixture
def world(gemeente_a):
    raadslid = make_user(
        Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID, full_name="Ron Raadslid"
    )
    griffier = make_user(Role.GRIFFIER, gemeente_a, full_name="Gerda de Griffier")
    colleague = make_user(Role.GRIFFIER, gemeente_a, full_name="Cas Collega")
    assigned = make_melding(raadslid)
    services.assign(assigned, colleague, actor=griffier)
    services.set_severity(assigned, "acute", actor=griffier)
    make_melding(raadslid, categories=[Category.VERBAL])
    worked = make_melding(raadslid)
    services.transition(worked, Status.IN_TRIAGE, actor=griffier)
    return {"griffier": griffier, "colleague": colleague, "assigned": assigned}


def sign_in(page, live_server, user):
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    login(page, live_server.url, user.email, PASSWORD, totp_secret=secret)


def inside_viewport(page, locator, width):
    box = locator.bounding_box()
    assert box is not None, "not rendered"
    return box["x"] >= 0 and box["x"] + box["width"] <= width


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_dashboard_shows_deadline_badges_and_cards_on_a_phone(
    live_server, request, world, viewport
):
    page = request.getfixturevalue(viewport)
    width = VIEWPORTS[viewport]
    console = watch_console(page)
    sign_in(page, live_server, world["griffier"])
    page.goto(f"{live_server.url}/meldingen/triage/")
    row = page.locator(f'tr[data-melding="{world["assigned"].pk}"]')
    status = row.locator('[data-cell="status"] .inc-status')
    deadline = row.locator('[data-cell="deadline"]')
    assignee = row.locator('[data-cell="assignee"]')
    severity = row.locator('[data-cell="severity"] .wb-badge')
    assert deadline.inner_text().startswith("Bevestigen vóór")
    assert assignee.inner_text() == "Cas Collega"
    assert severity.inner_text() == "Acuut", "the severity in words, not colour alone"
    for part in (status, deadline, assignee, severity):
        assert part.is_visible()
        assert inside_viewport(page, part, width), part
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if width == 360:
        # A card: the cells stacked, each with its column's name.
        assert row.evaluate("r => getComputedStyle(r).display") == "block"
        label = assignee.evaluate("c => getComputedStyle(c, '::before').content")
        assert label == '"Behandelaar"'
        # The stacked cells do not overlap (each grows with its lines and its label).
        boxes = row.evaluate(
            "r => [...r.children].map(c => { const b = c.getBoundingClientRect();"
            " return [b.top, b.bottom]; })"
        )
        for (_top, bottom), (top, _bottom) in pairwise(boxes):
            assert top >= bottom - 0.5, boxes
    assert_accessible(page)
    console.assert_clean()
    if not keeps_screenshots():
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if width == 360:
        # The cards, not the search box above them.
        page.locator("table.wb-card-table").evaluate("t => t.scrollIntoView()")
    page.screenshot(path=str(SCREENSHOTS / f"dashboard-{width}.png"))


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_case_page_stays_at_the_section_after_a_save(live_server, request, world, viewport):
    page = request.getfixturevalue(viewport)
    width = VIEWPORTS[viewport]
    melding = world["assigned"]
    console = watch_console(page)
    sign_in(page, live_server, world["griffier"])
    page.goto(f"{live_server.url}/meldingen/{melding.pk}/")
    nav = page.get_by_role("navigation", name="Onderdelen van de melding")
    assert nav.get_by_role("link").all_inner_texts() == [
        "Overzicht",
        "Stappenplan",
        "Nazorg",
        "Opvolging dader",
        "Aangifte",
        "Delen",
        "Berichten",
        "Tijdlijn",
    ]
    assert_accessible(page)
    # One "Beoordeling" form: severity and assignee in one save.
    form = page.locator("#beoordeling form")
    form.get_by_label("Ernst").select_option("high")
    form.get_by_label("Behandelaar").select_option(label="Gerda de Griffier")
    with page.expect_navigation():
        form.get_by_role("button", name="Beoordeling opslaan").click()
    page.wait_for_load_state("load")
    assert page.evaluate("location.hash") == "#beoordeling"
    assert page.evaluate("window.scrollY") > 0, "back at the section, not at the top"
    saved = page.locator("#beoordeling").get_by_text("Opgeslagen.")
    assert saved.is_visible() and saved.bounding_box()["y"] >= 0, "the message is in sight"
    melding = Melding.objects.get(pk=melding.pk)
    assert (melding.severity, melding.assigned_to) == ("high", world["griffier"])
    # A note lower on the page: back at Berichten.
    page.get_by_role("textbox", name="Interne notitie").fill("Melder gebeld, gaat goed.")
    with page.expect_navigation():
        page.get_by_role("button", name="Notitie opslaan").click()
    page.wait_for_load_state("load")
    assert page.evaluate("location.hash") == "#berichten"
    assert page.evaluate("window.scrollY") > 0
    assert page.locator("#berichten").get_by_text("Opgeslagen.").is_visible()
    top = page.locator("#berichten").bounding_box()["y"]
    assert -5 <= top <= 200, f"the section starts at the top of the viewport ({top}px)"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)
    console.assert_clean()
    if not keeps_screenshots():
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{live_server.url}/meldingen/{melding.pk}/#beoordeling")
    page.screenshot(path=str(SCREENSHOTS / f"case-{width}.png"))
    # The follow-up sections as the page shows them: closed, each with what it holds and
    # the link that opens it.
    page.locator("#brieven").evaluate("s => s.scrollIntoView()")
    page.screenshot(path=str(SCREENSHOTS / f"case-follow-up-{width}.png"))


def test_afsluiten_asks_for_a_reason_in_the_browser(live_server, page, world):
    melding = world["assigned"]
    services.transition(melding, Status.IN_TRIAGE, actor=world["griffier"])
    sign_in(page, live_server, world["griffier"])
    page.goto(f"{live_server.url}/meldingen/{melding.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Afsluiten").click()
    assert page.locator("h1").inner_text().startswith("Weet u zeker")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, melding afsluiten").click()
    assert page.get_by_text("Vul de reden van afsluiten in.").first.is_visible()
    assert Melding.objects.get(pk=melding.pk).status == Status.IN_TRIAGE
    assert_accessible(page)
    page.get_by_label("Reden van afsluiten").fill("Afgehandeld met de melder.")
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, melding afsluiten").click()
    assert page.evaluate("location.hash") == "#overzicht"
    assert Melding.objects.get(pk=melding.pk).status == Status.CLOSED
