"""The monitor in a real browser: the national page (also filtered), a griffier's own
figures and the page on a small screen pass axe-core (WCAG 2.1 AA) without CSP
violations; with the demo data of ``make run`` the analyst's page draws its charts. With
``WB_SCREENSHOTS=1`` that page is also saved to ``docs/`` at 1280 and 360 px wide (the
images in the repository were made that way)."""

import io
import random
from datetime import timedelta

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from tests.factories import PASSWORD, make_user
from tests.monitor.factories import VeiligWonen, melding, tour, traject
from weerbaar.constants import Role
from weerbaar.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from weerbaar.models import Organisation

from .helpers import DOCS, assert_accessible, keeps_screenshots, login, watch_console

pytestmark = pytest.mark.django_db(transaction=True)

CHANNELS = ["in_person", "phone", "mail", "social", "meeting"]
CATEGORIES = ["verbal", "threat", "intimidation", "online", "doxing", "discrimination"]
POSITIONS = ["raadslid"] * 5 + ["wethouder"] * 2 + ["burgemeester"]


def _with_totp(user):
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    return user, secret


@pytest.fixture
def national_data(organisations, gemeente_a):
    """A year of meldingen over twenty gemeenten, Veilig Wonen applications and a tour,
    enough for most cells to be published."""
    rng = random.Random(6)
    now = timezone.now()
    gemeenten = list(Organisation.objects.filter(kind="gemeente").order_by("code")[:20])
    for month in range(12):
        for _i in range(8 + month):
            when = now - timedelta(days=30 * month + rng.randint(0, 25))
            melding(
                rng.choice(gemeenten),
                when,
                position=rng.choice(POSITIONS),
                channel=rng.choice(CHANNELS),
                categories=rng.sample(CATEGORIES, rng.randint(1, 2)),
                ack_after=timedelta(hours=rng.randint(1, 30)),
            )
    vw = VeiligWonen(gemeente_a)
    for i in range(40):
        vw.application(
            now - timedelta(days=9 * i + 5),
            urgency=rng.choice(["spoed", "hoog", "normaal", "normaal"]),
            intake_days=rng.randint(2, 25),
            advice_days=rng.randint(30, 80) if i > 6 else None,
        )
    t = tour(start=(now.year - 1, 1, 1))
    for i, org in enumerate(Organisation.objects.filter(kind="gemeente").order_by("name")[:60]):
        held = now - timedelta(days=8 * i)
        traject(t, org, voorgesprek=held, session=held + timedelta(days=20) if i % 3 else None)


def _save(page, name):
    """A small PNG of the top of the page (the whole page is very long)."""
    width = page.viewport_size["width"]
    height = min(page.evaluate("document.body.scrollHeight"), 2200 if width > 400 else 2600)
    shot = page.screenshot(full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height})
    image = Image.open(io.BytesIO(shot)).convert("RGB").quantize(colors=64)
    DOCS.mkdir(exist_ok=True)
    image.save(DOCS / name, optimize=True)


def test_national_monitor_is_accessible_and_filters_work(live_server, page, bzk, national_data):
    analyst, secret = _with_totp(make_user(Role.ANALYST, bzk))
    console = watch_console(page)
    login(page, live_server.url, analyst.email, PASSWORD, totp_secret=secret)
    page.goto(f"{live_server.url}/monitor/")
    assert page.locator("h1").inner_text() == "Monitor Weerbaar Bestuur"
    assert page.locator("svg[role=img]").count() >= 8
    assert_accessible(page)
    page.get_by_label("Soort organisatie", exact=True).select_option("gemeente")
    page.get_by_label("Provincie", exact=True).select_option(label="Utrecht")
    with page.expect_navigation():
        page.get_by_role("button", name="Toon cijfers").click()
    assert "soort=gemeente" in page.url
    assert page.get_by_role("heading", name="Meldingen per maand").is_visible()
    assert_accessible(page)
    console.assert_clean()


def test_monitor_on_a_small_screen(live_server, mobile_page, bzk, national_data):
    analyst, secret = _with_totp(make_user(Role.ANALYST, bzk))
    console = watch_console(mobile_page)
    login(mobile_page, live_server.url, analyst.email, PASSWORD, totp_secret=secret)
    mobile_page.goto(f"{live_server.url}/monitor/")
    overflow = mobile_page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert not overflow, "the page scrolls sideways at 360 px"
    assert_accessible(mobile_page)
    console.assert_clean()


def test_griffier_sees_own_figures_accessibly(live_server, page, gemeente_a, national_data):
    griffier, secret = _with_totp(make_user(Role.GRIFFIER, gemeente_a))
    console = watch_console(page)
    login(page, live_server.url, griffier.email, PASSWORD, totp_secret=secret)
    page.goto(f"{live_server.url}/monitor/")
    assert page.locator("h1").inner_text() == "Cijfers van Utrecht"
    assert page.get_by_label("Provincie", exact=True).count() == 0
    assert page.locator("#zicht-op-ondermijning").get_attribute("href") == (
        "https://www.zichtopondermijning.nl/"
    )
    assert_accessible(page)
    console.assert_clean()


@pytest.fixture
def demo_data(organisations, settings):
    """What ``make run`` loads: the demo accounts, their cases and the year of history."""
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=io.StringIO())


def _demo_monitor(page, url):
    console = watch_console(page)
    login(page, url, "analist@bzk.demo", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    page.goto(f"{url}/monitor/")
    # Gender × position is where cells get small, and the monitor suppresses them there as
    # it would national data; every other figure is published all but a few cells: the
    # provincies' and waterschappen' positions (hidden with their kind's total, which
    # protects the waterschappen' few meldingen) and their rates, a handful in all.
    cells = page.locator(
        "figure:not(:has(#meldingen-gender-functie-title)) td.mon-num"
    ).all_inner_texts()
    # Charts with published numbers, not a page of hidden cells.
    assert page.locator(".mon-chart svg[role=img]").count() >= 9
    assert sum(text.strip().isdigit() for text in cells) >= 100
    assert sum(text.strip() == "×" for text in cells) <= 8
    assert_accessible(page)
    console.assert_clean()


def test_demo_monitor_draws_its_charts(live_server, page, demo_data):
    _demo_monitor(page, live_server.url)
    if keeps_screenshots():
        _save(page, "monitor-1280.png")


def test_demo_monitor_on_a_small_screen(live_server, mobile_page, demo_data):
    _demo_monitor(mobile_page, live_server.url)
    overflow = mobile_page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert not overflow, "the page scrolls sideways at 360 px"
    if keeps_screenshots():
        _save(mobile_page, "monitor-360.png")
