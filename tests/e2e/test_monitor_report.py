"""Issue 23 "Done when", in a real browser: the analyst picks a period, sees the gender
and position figures and the rates with suppression, opens the report, downloads its PDF,
and the PDF's text holds the same figures as the page. The report page passes axe-core at
1280 and 360 px without scrolling sideways."""

import random
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone
from pypdf import PdfReader

from incidents.constants import AangifteStatus
from tests.factories import PASSWORD, MembershipFactory, UserFactory, make_user
from tests.monitor.factories import melding
from weerbaar import self_declaration
from weerbaar.constants import Gender, Role
from weerbaar.models import Organisation

from .helpers import assert_accessible, login, watch_console

pytestmark = pytest.mark.django_db(transaction=True)

POSITIONS = ["raadslid"] * 6 + ["wethouder"] * 2 + ["burgemeester"]
GENDERS = [Gender.VROUW, Gender.VROUW, Gender.MAN, Gender.MAN, Gender.MAN, None]

TABLES = """() => [...document.querySelectorAll("table")].map(t =>
  [...t.querySelectorAll("tr")].map(r =>
    [...r.querySelectorAll("th, td")].map(c => c.innerText.replace(/\\s+/g, " ").trim())))"""


@pytest.fixture
def reported(organisations):
    """Ten months of meldingen over twelve gemeenten by office holders who mostly said
    their gender; a burgemeester is rare, so some gender cells stay under five."""
    rng = random.Random(23)
    now = timezone.now()
    gemeenten = list(Organisation.objects.filter(kind="gemeente").order_by("code")[:12])
    people = {}
    for org in gemeenten:
        for position in set(POSITIONS):
            for i in range(4 if position == "raadslid" else 2):
                # In office for the whole period: the rates divide by the memberships in
                # force at its end.
                user = UserFactory()
                MembershipFactory(
                    user=user,
                    organisation=org,
                    role=Role.OFFICE_HOLDER,
                    position=position,
                    valid_from=now - timedelta(days=400),
                )
                gender = GENDERS[(i + len(people)) % len(GENDERS)]
                if gender is not None:
                    self_declaration.declare_gender(user, gender)
                people.setdefault((org.pk, position), []).append(user)
    for month in range(1, 11):
        for _i in range(14):
            org = rng.choice(gemeenten)
            position = rng.choice(POSITIONS)
            melding(
                org,
                now - timedelta(days=30 * month + rng.randint(0, 20)),
                position=position,
                reporter=rng.choice(people[(org.pk, position)]),
                ack_after=timedelta(hours=rng.randint(1, 40)),
                aangifte=AangifteStatus.FILED if rng.random() < 0.2 else None,
            )
    # The year that holds most of them: the current one, or the last in its first months.
    return str((now - timedelta(days=120)).year)


def _analyst():
    analyst = make_user(Role.ANALYST, Organisation.objects.get(code="BZK"))
    secret = pyotp.random_base32()
    TOTP.activate(analyst, secret)
    return analyst, secret


def _pdf_text(path):
    reader = PdfReader(Path(path))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_analyst_picks_a_period_and_the_report_pdf_holds_the_figures_of_the_page(
    live_server, page, reported
):
    year = reported
    analyst, secret = _analyst()
    console = watch_console(page)
    login(page, live_server.url, analyst.email, PASSWORD, totp_secret=secret)
    page.goto(f"{live_server.url}/monitor/")
    page.get_by_label("Jaar", exact=True).select_option(year)
    page.get_by_label("Kwartaal (niet verplicht)").select_option(label="Heel jaar")
    with page.expect_navigation():
        page.get_by_role("button", name="Toon cijfers").click()
    assert f"jaar={year}" in page.url

    # The gender × position table and the rates, with suppression where cells are small.
    gender = page.locator("figure", has=page.locator("#meldingen-gender-functie-title"))
    cells = gender.locator("td").all_inner_texts()
    assert any(c.strip().isdigit() and int(c) >= 5 for c in cells)
    # Every hidden cell has the one symbol, small or hidden to protect another.
    assert any(c.strip() == "×" for c in cells)
    assert not any(c.strip() in ("< 5", "x") for c in cells)
    rates = page.locator("figure", has=page.locator("#meldingen-per-100-ambtsdragers-title"))
    assert rates.get_by_role("row", name="Raadslid").is_visible()
    assert rates.locator("svg[role=img]").count() == 1
    monitor_tables = page.evaluate(TABLES)
    monitor_charts = page.locator(".mon-chart svg[role=img]").count()
    assert monitor_charts >= 5

    with page.expect_navigation():
        page.get_by_role("link", name="Rapport voor deze selectie (webpagina)").click()
    assert page.locator("h1").inner_text() == "Rapport Monitor Weerbaar Bestuur"
    assert page.get_by_role("heading", name="Bijlage: verantwoording").is_visible()
    report_tables = page.evaluate(TABLES)
    # The report is the page's tables, nothing more and nothing less.
    assert report_tables == monitor_tables
    assert page.locator(".mon-chart svg[role=img]").count() == monitor_charts
    assert_accessible(page)

    # The PDF builds the year's cube and renders it: on a busy machine that takes a while.
    with page.expect_download(timeout=90_000) as download:
        page.get_by_role("link", name="Download dit rapport als PDF").click(timeout=90_000)
    assert download.value.suggested_filename == f"monitor-rapport-{year}.pdf"
    text = _pdf_text(download.value.path())
    rows = [row for table in report_tables for row in table]
    assert len(rows) > 80
    missing = [row for row in rows if " ".join(row) not in text]
    assert not missing, missing[:5]
    for row in rates.get_by_role("row").all_inner_texts():
        assert " ".join(row.split()) in text
    assert "Gemelde voorvallen zijn geen prevalentie" in text
    console.assert_clean()


def test_report_page_on_a_small_screen(live_server, mobile_page, reported):
    year = reported
    analyst, secret = _analyst()
    console = watch_console(mobile_page)
    login(mobile_page, live_server.url, analyst.email, PASSWORD, totp_secret=secret)
    mobile_page.goto(f"{live_server.url}/monitor/rapport/?jaar={year}")
    assert mobile_page.locator(".mon-chart svg[role=img]").first.is_visible()
    overflow = mobile_page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert not overflow, "the report scrolls sideways at 360 px"
    assert_accessible(mobile_page)
    console.assert_clean()
