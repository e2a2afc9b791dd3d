"""The OTWB screens in a real browser: the planner, a session page, the registration form
and the coverage page pass axe-core (WCAG 2.1 AA) without CSP violations, and a griffier
can register a driehoek with the keyboard-usable form."""

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP

from otwb import services
from otwb.constants import SessionKind, SessionStatus, Theme
from otwb.models import Registration, Session, Traject
from tests.factories import PASSWORD, make_user
from tests.otwb.factories import SessionFactory, TourFactory, TrainerFactory, at
from weerbaar.constants import Role

from .conftest import MOBILE
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


# Issue 21 §4: the session screens start from the coordinator's and griffier's task.


def _nojs_page(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="nl-NL", java_script_enabled=False)
    context.set_default_timeout(15_000)
    return context, context.new_page()


@pytest.mark.parametrize("viewport", ["page", "mobile_page"])
def test_session_status_moves_by_buttons_and_cancelling_asks_for_a_reason_first(
    live_server, request, viewport, tour_data
):
    page = request.getfixturevalue(viewport)
    console = watch_console(page)
    _as_coordinator(page, live_server, tour_data)
    council = tour_data["council"]
    page.goto(f"{live_server.url}/otwb/sessies/{council.pk}/")
    # No status select to slip on: one button per next step, cancelling is a separate step.
    assert page.locator("select[name=to]").count() == 0
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Sessie bevestigen").click()
    assert page.get_by_text("De status van de sessie is bijgewerkt.").is_visible()
    council.refresh_from_db()
    assert council.status == SessionStatus.CONFIRMED

    with page.expect_navigation():
        page.get_by_role("link", name="Sessie annuleren").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Weet u zeker")
    assert page.get_by_text("1 trainer wordt vrijgegeven.").is_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, sessie annuleren").click()
    assert page.get_by_text("Geef een reden op voor het annuleren.").first.is_visible()
    assert_accessible(page)
    council.refresh_from_db()
    assert council.status == SessionStatus.CONFIRMED
    with page.expect_navigation():
        page.get_by_role("link", name="Nee, terug naar de sessie").click()
    assert council.assignments.filter(active=True).count() == 1

    with page.expect_navigation():
        page.get_by_role("link", name="Sessie annuleren").click()
    page.get_by_label("Reden van annuleren").fill("De raad heeft de vergadering verzet")
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, sessie annuleren").click()
    assert page.get_by_text("De sessie is geannuleerd.").is_visible()
    council.refresh_from_db()
    assert council.status == SessionStatus.CANCELLED
    assert council.assignments.filter(active=True).count() == 0
    # Nothing further to do with a cancelled session: no buttons, no second cancel.
    assert page.get_by_role("link", name="Sessie annuleren").count() == 0
    assert page.get_by_role("button", name="Sessie bevestigen").count() == 0
    assert_accessible(page)
    console.assert_clean()


def test_cancel_confirmation_works_without_javascript(live_server, browser, tour_data):
    context, page = _nojs_page(browser, MOBILE)
    try:
        _as_coordinator(page, live_server, tour_data)
        council = tour_data["council"]
        page.goto(f"{live_server.url}/otwb/sessies/{council.pk}/annuleren/")
        page.get_by_label("Reden van annuleren").fill("Zaal niet beschikbaar")
        with page.expect_navigation():
            page.get_by_role("button", name="Ja, sessie annuleren").click()
        council.refresh_from_db()
        assert council.status == SessionStatus.CANCELLED
    finally:
        context.close()


@pytest.mark.parametrize("viewport", ["page", "mobile_page"])
def test_session_form_asks_the_kind_first_and_capacity_only_for_a_driehoek(
    live_server, request, viewport, tour_data
):
    page = request.getfixturevalue(viewport)
    console = watch_console(page)
    _as_coordinator(page, live_server, tour_data)
    page.goto(f"{live_server.url}/otwb/sessies/nieuw/")
    assert_accessible(page)
    page.get_by_label("Raadsbrede of Statenbrede sessie").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Verder").click()
    assert page.get_by_label("Aantal driehoeken").count() == 0
    picker = page.get_by_label("Andere gemeente of provincie")
    assert picker.is_visible()
    # The traject waiting for a session (voorgesprek held) is offered as a checkbox.
    assert page.get_by_label("Gemeente Utrecht", exact=True).is_visible()
    # No 354-line multi-select any more.
    assert page.locator("select[multiple]").count() == 0
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Andere soort kiezen").click()
    page.get_by_label("Regionale driehoeksessie").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Verder").click()
    assert page.get_by_label("Aantal driehoeken").is_visible()
    assert page.get_by_label("Andere gemeente of provincie").count() == 0
    assert_accessible(page)
    console.assert_clean()


def _fill_session(page, title):
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Datum").fill("2099-05-12")
    page.get_by_label("Begintijd").fill("19:00")
    page.get_by_label("Eindtijd").fill("22:00")
    page.get_by_label("Plaats").fill("Raadhuis Doorn")


def test_organisation_picker_suggests_as_one_types_and_explains_a_wrong_name(
    live_server, page, tour_data
):
    console = watch_console(page)
    _as_coordinator(page, live_server, tour_data)
    page.goto(f"{live_server.url}/otwb/sessies/nieuw/?soort=council")
    picker = page.get_by_label("Andere gemeente of provincie")
    # The browser's own suggestion list: every gemeente and provincie, searched as typed.
    list_id = picker.get_attribute("list")
    options = page.locator(f"datalist#{list_id} option")
    assert options.count() == 342 + 12
    labels = options.evaluate_all("os => os.map(o => o.value)")
    assert "Gemeente Utrechtse Heuvelrug" in labels and "Provincie Utrecht" in labels

    _fill_session(page, "Raadsbrede sessie Heuvelrug")
    picker.fill("Atlantis")
    with page.expect_navigation():
        page.get_by_role("button", name="Sessie aanmaken").click()
    assert page.get_by_text(
        "Geen gemeente of provincie gevonden met de naam ‘Atlantis’"
    ).first.is_visible()
    # Nothing typed is lost.
    assert page.get_by_label("Titel").input_value() == "Raadsbrede sessie Heuvelrug"
    assert page.get_by_label("Andere gemeente of provincie").input_value() == "Atlantis"
    assert_accessible(page)

    page.get_by_label("Andere gemeente of provincie").fill("Gemeente Utrechtse Heuvelrug")
    with page.expect_navigation():
        page.get_by_role("button", name="Sessie aanmaken").click()
    assert "/planner/" in page.url
    session = Session.objects.get(title="Raadsbrede sessie Heuvelrug")
    assert [o.code for o in session.organisations.all()] == ["GM1581"]
    console.assert_clean()


def test_session_form_without_javascript_picks_from_trajecten_and_typed_names(
    live_server, browser, tour_data
):
    context, page = _nojs_page(browser, MOBILE)
    try:
        _as_coordinator(page, live_server, tour_data)
        page.goto(f"{live_server.url}/otwb/sessies/nieuw/")
        page.get_by_label("Vervolgtraining").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Verder").click()
        _fill_session(page, "Vervolgtraining Utrecht en Heuvelrug")
        page.get_by_label("Gemeente Utrecht", exact=True).check()
        page.get_by_label("Andere gemeente of provincie").fill("utrechtse heuvelrug")
        with page.expect_navigation():
            page.get_by_role("button", name="Sessie aanmaken").click()
        session = Session.objects.get(title="Vervolgtraining Utrecht en Heuvelrug")
        assert session.kind == SessionKind.FOLLOW_UP
        assert {o.code for o in session.organisations.all()} == {"GM0344", "GM1581"}
    finally:
        context.close()


@pytest.mark.parametrize("viewport", ["page", "mobile_page"])
def test_registration_form_is_prefilled_with_the_griffier_and_last_driehoek(
    live_server, request, viewport, tour_data, gemeente_a
):
    page = request.getfixturevalue(viewport)
    user, secret = _with_totp(
        make_user(
            Role.GRIFFIER, gemeente_a, full_name="Griet Griffier", email="griet@utrecht.example"
        )
    )
    earlier = SessionFactory(
        tour=tour_data["driehoek"].tour,
        kind=SessionKind.DRIEHOEK,
        title="Eerdere driehoeksessie",
        starts_at=at(2099, 2, 1, 13),
    )
    services.register_driehoek(
        earlier,
        gemeente_a,
        people={
            "burgemeester_name": "Sharon Dijksma",
            "burgemeester_email": "bm@utrecht.example",
            "griffier_name": "Vorige Griffier",
            "griffier_email": "vorige@utrecht.example",
            "secretaris_name": "Sem Secretaris",
            "secretaris_email": "gs@utrecht.example",
        },
        actor=user,
    )
    console = watch_console(page)
    login(page, live_server.url, user.email, PASSWORD, totp_secret=secret)
    page.goto(f"{live_server.url}/otwb/sessies/{tour_data['driehoek'].pk}/aanmelden/")
    assert page.get_by_label("Naam griffier").input_value() == "Griet Griffier"
    assert page.get_by_label("E-mailadres griffier").input_value() == "griet@utrecht.example"
    assert page.get_by_label("Naam burgemeester").input_value() == "Sharon Dijksma"
    assert page.get_by_label("E-mailadres gemeentesecretaris").input_value() == "gs@utrecht.example"
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Aanmelden").click()
    registration = Registration.objects.get(session=tour_data["driehoek"])
    assert registration.griffier_email == "griet@utrecht.example"
    console.assert_clean()


@pytest.mark.parametrize("viewport", ["page", "mobile_page"])
def test_coverage_chart_draws_one_month_and_its_tables_scroll_by_keyboard(
    live_server, request, viewport, tour_data
):
    page = request.getfixturevalue(viewport)
    console = watch_console(page)
    _as_coordinator(page, live_server, tour_data)
    page.goto(f"{live_server.url}/otwb/dekking/")
    # The tour has one month of data: one voorgesprek held in January 2026.
    rows = page.get_by_role("region", name="Bereik per maand").locator("tbody tr")
    assert rows.count() == 1
    chart = page.locator("svg[aria-labelledby^=coverage-line-svg-title]")
    assert chart.get_attribute("role") == "img"
    # A line from zero in the month before to the month (a polyline of one point would
    # draw nothing), rising (1 of the tour's organisations reached), both points marked
    # and the month at the end of the line.
    line = chart.locator("polyline").first
    box = line.bounding_box()
    assert box and box["width"] > chart.bounding_box()["width"] * 0.8 and box["height"] > 0
    marker = chart.locator("circle")
    assert marker.count() == 2 and marker.last.is_visible()
    marker_box = marker.last.bounding_box()
    assert marker_box["x"] + marker_box["width"] >= box["x"] + box["width"]
    assert chart.get_by_text("jan 2026").count() == 1
    for name in ("Bereik per provincie", "Bereik per maand"):
        region = page.get_by_role("region", name=name)
        assert region.get_attribute("tabindex") == "0"
    assert_accessible(page)
    console.assert_clean()
