"""The OTWB screens in a real browser: the planner, a session page, the registration form
and the coverage page pass axe-core (WCAG 2.1 AA) without CSP violations, and a griffier
can register a driehoek with the keyboard-usable form."""

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP

from otwb import services
from otwb.constants import SessionKind, Theme
from otwb.models import Registration, Traject
from tests.factories import PASSWORD, make_user
from tests.otwb.factories import SessionFactory, TourFactory, TrainerFactory, at
from weerbaar.constants import Role

from .helpers import assert_accessible, login, watch_console

pytestmark = pytest.mark.django_db(transaction=True)


def _with_totp(user):
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    return user, secret


@pytest.fixture
def tour_data(otwb_org, gemeente_a):
    coordinator, secret = _with_totp(make_user(Role.OTWB_COORDINATOR, otwb_org))
    tour = TourFactory(name="Ronde 2022–2027")
    services.create_trajecten(tour)
    traject = Traject.objects.get(tour=tour, organisation=gemeente_a)
    talk = services.plan_voorgesprek(traject, planned_at=at(2026, 1, 5, 10), actor=coordinator)
    services.record_voorgesprek(
        talk, held_at=at(2026, 1, 5, 11), themes=[Theme.ONLINE], notes="", actor=coordinator
    )
    council = SessionFactory(
        tour=tour, title="Raadsbrede sessie Utrecht", starts_at=at(2099, 3, 10, 19)
    )
    council.organisations.set([gemeente_a])
    vera = TrainerFactory(name="Vera Vertrouwenspersoon")
    TrainerFactory(name="Eva Expert")
    services.assign_trainer(council, vera, actor=coordinator)
    driehoek = SessionFactory(
        tour=tour,
        kind=SessionKind.DRIEHOEK,
        title="Regionale driehoeksessie Midden-Nederland",
        starts_at=at(2099, 4, 14, 13),
    )
    return {
        "coordinator": (coordinator, secret),
        "council": council,
        "driehoek": driehoek,
        "traject": Traject.objects.get(tour=tour, organisation__code="GM0014"),
    }


def _as_coordinator(page, live_server, tour_data):
    user, secret = tour_data["coordinator"]
    login(page, live_server.url, user.email, PASSWORD, totp_secret=secret)


@pytest.mark.parametrize("screen", ["planner", "session", "coverage", "traject", "trainer"])
def test_coordinator_screens_are_accessible(live_server, page, tour_data, screen):
    console = watch_console(page)
    _as_coordinator(page, live_server, tour_data)
    council = tour_data["council"]
    path = {
        "planner": f"/otwb/sessies/{council.pk}/planner/",
        "session": f"/otwb/sessies/{council.pk}/",
        "coverage": "/otwb/dekking/",
        "traject": f"/otwb/trajecten/{tour_data['traject'].pk}/",
        "trainer": "/otwb/trainers/nieuw/",
    }[screen]
    page.goto(f"{live_server.url}{path}")
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    console.assert_clean()


def test_planner_assigns_a_proposed_trainer(live_server, page, tour_data):
    _as_coordinator(page, live_server, tour_data)
    council = tour_data["council"]
    page.goto(f"{live_server.url}/otwb/sessies/{council.pk}/planner/")
    with page.expect_navigation():
        page.locator("tr", has_text="Eva Expert").get_by_role("button", name="Toewijzen").click()
    assert page.get_by_text("De trainer is toegewezen.").is_visible()
    assert council.assignments.filter(active=True).count() == 2


@pytest.mark.parametrize("viewport", ["page", "mobile_page"])
def test_griffier_registers_a_driehoek_on_an_accessible_form(
    live_server, request, viewport, tour_data, gemeente_a
):
    page = request.getfixturevalue(viewport)
    user, secret = _with_totp(make_user(Role.GRIFFIER, gemeente_a))
    console = watch_console(page)
    login(page, live_server.url, user.email, PASSWORD, totp_secret=secret)
    driehoek = tour_data["driehoek"]
    page.goto(f"{live_server.url}/otwb/sessies/{driehoek.pk}/aanmelden/")
    assert_accessible(page)
    page.get_by_label("Naam burgemeester").fill("Sharon Dijksma")
    page.get_by_label("E-mailadres burgemeester").fill("bm@utrecht.example")
    page.get_by_label("Naam griffier").fill("Griet Griffier")
    page.get_by_label("E-mailadres griffier").fill("griffie@utrecht.example")
    page.get_by_label("Naam gemeentesecretaris").fill("Sem Secretaris")
    page.get_by_label("E-mailadres gemeentesecretaris").fill("gs@utrecht.example")
    with page.expect_navigation():
        page.get_by_role("button", name="Aanmelden").click()
    assert page.get_by_text("Uw driehoek is aangemeld.").is_visible()
    assert Registration.objects.filter(session=driehoek, organisation=gemeente_a).exists()
    assert_accessible(page)
    console.assert_clean()
