"""Each role's start page in a real browser at 360 and 1280 px (issue 21 §1): WCAG 2.1 AA
with axe (0 violations), nothing wider than a phone, the account menu opened and used with
the keyboard alone. With ``WB_SCREENSHOTS=1`` a screenshot of the viewport per role and
width is saved as documentation in docs/screenshots/start-<role>-<width>.png."""

from datetime import timedelta

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from incidents import services
from incidents.constants import Status
from otwb.constants import TrajectStatus
from otwb.models import Traject
from tests.factories import PASSWORD, make_user
from tests.incidents.factories import make_melding
from tests.otwb.factories import SessionFactory, TourFactory
from tests.veiligwonen.factories import Cast, submit, to_review
from veiligwonen.catalogue import load_catalogue
from veiligwonen.models import MeasureType
from weerbaar.constants import Position, Role

from .helpers import DOCS, assert_accessible, keeps_screenshots, login, watch_console

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = DOCS / "screenshots"
VIEWPORTS = {"mobile_page": 360, "page": 1280}
ROLES = [
    "raadslid",
    "griffier",
    "secretaris",
    "voorzitter",
    "vertrouwenspersoon",
    "coordinator",
    "intake",
    "adviser",
    "bva",
]


@pytest.fixture
def world(gemeente_a, gemeente_b, bzk, ccv, otwb_org):
    """One person per role, with work on each start page."""
    raadslid = make_user(
        Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID, full_name="Ron Raadslid"
    )
    people = {
        "raadslid": raadslid,
        "griffier": make_user(Role.GRIFFIER, gemeente_a, full_name="Gerda de Griffier"),
        "voorzitter": make_user(Role.VOORZITTER, gemeente_a, full_name="Bram Burgemeester"),
        "vertrouwenspersoon": make_user(
            Role.VERTROUWENSPERSOON, otwb_org, full_name="Vera Vertrouwen"
        ),
        "coordinator": make_user(Role.OTWB_COORDINATOR, otwb_org, full_name="Cor Coördinator"),
    }
    # A transactional test empties the tables the migrations filled: the measures again.
    load_catalogue(MeasureType)
    vw = Cast(gemeente_a, gemeente_b, bzk, ccv)
    people["intake"] = vw.intake
    people["adviser"] = vw.adviser
    people["bva"] = vw.bva
    people["secretaris"] = vw.secretaris
    first = make_melding(raadslid)
    make_melding(raadslid, confidential=True)
    worked = make_melding(raadslid)
    services.transition(worked, Status.IN_TRIAGE, actor=people["griffier"])
    services.post_message(worked, "Wilt u ons terugbellen?", actor=people["griffier"])
    services.post_message(first, "Er kwam vandaag nog een bericht.", actor=raadslid)
    submit(vw, recent_threats=True)
    submit(vw, vw.wethouder)
    to_review(vw, submit(vw))
    tour = TourFactory()
    SessionFactory(tour=tour, starts_at=timezone.now() + timedelta(days=2), title="Raad Utrecht")
    Traject.objects.create(
        tour=tour, organisation=gemeente_b, status=TrajectStatus.VOORGESPREK_HELD
    )
    return people


def sign_in(page, live_server, user):
    secret = None
    if user.requires_mfa:
        secret = pyotp.random_base32()
        TOTP.activate(user, secret)
    login(page, live_server.url, user.email, PASSWORD, totp_secret=secret)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("role", ROLES)
def test_start_page_of_each_role_is_accessible_and_fits(
    live_server, request, world, role, viewport
):
    page = request.getfixturevalue(viewport)
    console = watch_console(page)
    sign_in(page, live_server, world[role])
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text().startswith("Welkom")
    assert page.get_by_role("navigation", name="Hoofdmenu").is_visible()
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[viewport], f"{role}: the page is {width}px wide"
    console.assert_clean()
    if keeps_screenshots():
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"start-{role}-{VIEWPORTS[viewport]}.png"))


def test_reporter_sees_melding_doen_first_and_their_new_message(live_server, mobile_page, world):
    sign_in(mobile_page, live_server, world["raadslid"])
    mobile_page.goto(f"{live_server.url}/")
    button = mobile_page.locator(".wb-start-task__button")
    assert button.inner_text() == "Melding doen"
    box = button.bounding_box()
    assert box["y"] < 740, "Melding doen is not on the first phone screen"
    assert mobile_page.get_by_text("Nieuw bericht").is_visible()
    assert mobile_page.get_by_text("Bel dan eerst 112", exact=False).is_visible()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_account_menu_opens_and_works_with_the_keyboard(live_server, request, world, viewport):
    page = request.getfixturevalue(viewport)
    sign_in(page, live_server, world["griffier"])
    page.goto(f"{live_server.url}/")
    menu = page.locator("details.wb-account")
    assert menu.get_attribute("open") is None
    assert not page.get_by_role("link", name="Tweestapsverificatie").is_visible()

    # From the skip link, Tab reaches the brand and then the menu's summary.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "wb-account__summary"
    page.keyboard.press("Enter")
    assert menu.get_attribute("open") is not None
    assert page.get_by_role("link", name="Tweestapsverificatie").is_visible()
    assert page.get_by_role("link", name="Uw sessies").is_visible()
    assert page.get_by_role("button", name="English").is_visible()
    assert_accessible(page)

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Uw sessies"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Tweestapsverificatie"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/accounts/2fa/")
