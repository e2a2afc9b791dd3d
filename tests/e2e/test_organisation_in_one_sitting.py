"""Issue 19's "Done when", end to end in Chromium on a freshly loaded gemeente (Amersfoort:
no fixture fills its profile). Its griffier (with TOTP) sets it up in one session: the
visiting address, a raadslid's melding also to the voorzitter (preview, confirm) with a
published protocol text, an own step and an adapted warning letter. A raadslid then sees that
text and both recipients by name and files; the griffier downloads the aangifte preparation
and the warning letter, both PDFs carrying the real address; the functioneel beheerder sees
Amersfoort ready and every other gemeente, provincie and waterschap not. Every page visited
passes axe-core (WCAG 2.1 AA)."""

import io

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from pypdf import PdfReader

from incidents.constants import LetterKind
from incidents.models import CaseStep, Melding
from incidents.readiness import KINDS
from tests.factories import PASSWORD, make_user
from weerbaar.constants import Position, Role
from weerbaar.models import Organisation, OrganisationProfile

from .conftest import DESKTOP
from .helpers import assert_accessible, login, watch_console

pytestmark = pytest.mark.django_db(transaction=True)

STREET, POSTCODE, PLACE = "Stadhuisplein 1", "3811 LM", "Amersfoort"
PROTOCOL_TEXT = "Meld bij de griffie. Uw melding gaat ook naar de burgemeester."
STEP = "Fractievoorzitter informeren"
CLOSING = "Met vriendelijke groet, namens de gemeenteraad,"


def _with_totp(role, organisation, name, **kwargs):
    user = make_user(role, organisation, full_name=name, **kwargs)
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    return user, secret


def _pdf_text(download):
    """The text of a downloaded PDF, whitespace collapsed (lines may break anywhere)."""
    with open(download.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


@pytest.fixture
def new_page(browser):
    """Pages in separate browser contexts: each person has their own session."""
    contexts = []

    def make():
        context = browser.new_context(viewport=DESKTOP, locale="nl-NL", accept_downloads=True)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _fill_profile(page, base_url):
    page.goto(base_url)
    assert_accessible(page)
    page.get_by_role("link", name="Profiel van de organisatie").click()
    page.get_by_role("heading", name="Profiel van Gemeente Amersfoort").wait_for()
    page.get_by_text("Het bezoekadres is nog niet compleet.").wait_for()
    assert_accessible(page)
    page.locator("#id_visit_street").fill(STREET)
    page.locator("#id_visit_postcode").fill(POSTCODE)
    page.locator("#id_visit_place").fill(PLACE)
    page.get_by_role("button", name="Profiel opslaan").click()
    page.get_by_text("Het profiel is opgeslagen.").wait_for()
    assert_accessible(page)


def _change_protocol(page, base_url, griffier, voorzitter):
    page.goto(base_url)
    page.get_by_role("link", name="Lokaal protocol").click()
    page.get_by_role("heading", name="Lokaal protocol van Amersfoort").wait_for()
    assert_accessible(page)
    page.get_by_role("group", name="Raadslid: ontvangt ook").get_by_label(
        "Burgemeester (voorzitter)"
    ).check()
    page.get_by_label("Bij wie meldt u? (Nederlands)").fill(PROTOCOL_TEXT)
    with page.expect_navigation():
        page.get_by_role("button", name="Controleren").click()
    page.get_by_role("heading", name="Controleer het protocol voordat u het opslaat").wait_for()
    raad = page.locator("dt:text-is('Raadslid') + dd [data-protocol=receivers]")
    for person, title in ((griffier, "Griffier"), (voorzitter, "Burgemeester (voorzitter)")):
        assert raad.get_by_text(f"{person.full_name} — {title}, Gemeente Amersfoort").is_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Het protocol is opgeslagen.").wait_for()
    assert_accessible(page)


def _add_step_and_adapt_letter(page):
    page.get_by_role("link", name="Eigen stappen").click()
    page.get_by_role("button", name="Stap toevoegen").wait_for()
    assert_accessible(page)
    page.fill("input[name=title]", STEP)
    page.fill("input[name=title_en]", "Inform the group leader")
    page.select_option("select[name=owner_role]", "griffier")
    page.fill("input[name=due_days]", "2")
    page.get_by_role("button", name="Stap toevoegen").click()
    page.get_by_text("De stap is toegevoegd.").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Briefsjablonen").click()
    page.get_by_role("link", name=LetterKind.WARNING.label).wait_for()
    assert_accessible(page)
    page.get_by_role("link", name=LetterKind.WARNING.label).click()
    body = page.locator("textarea[name=body]")
    body.wait_for()
    assert_accessible(page)
    assert "Hoogachtend," in body.input_value()
    body.fill(body.input_value().replace("Hoogachtend,", CLOSING))
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Het briefsjabloon is opgeslagen.").wait_for()
    assert_accessible(page)


def _file_as_raadslid(page, base_url, raadslid, receivers):
    login(page, base_url, raadslid.email, PASSWORD)
    page.get_by_text(PROTOCOL_TEXT).wait_for()  # the start page publishes it too
    assert_accessible(page)
    page.goto(f"{base_url}/meldingen/nieuw/")
    assert page.get_by_text(PROTOCOL_TEXT).is_visible()
    shown = page.locator("section.inc-recipients")
    for label in receivers:
        assert shown.get_by_text(label, exact=True).is_visible(), label
    page.get_by_label("Wanneer gebeurde het?").fill("2026-11-27T21:30")
    page.get_by_label("Online", exact=True).check()
    page.get_by_label("Sociale media").check()
    page.get_by_label("Bedreiging", exact=True).check()
    page.get_by_label("Wat is er gebeurd?").fill("Na de raadsvergadering kreeg ik dreigmails.")
    page.get_by_label("Een gesprek").check()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Melding versturen").click()
    page.get_by_text("Uw melding is verstuurd.").wait_for()
    assert_accessible(page)
    return Melding.objects.get(reporter=raadslid)


def _download_documents(page, base_url, melding):
    page.goto(f"{base_url}/meldingen/{melding.pk}/")
    page.get_by_text(STEP, exact=True).wait_for()
    assert_accessible(page)
    with page.expect_download() as aangifte:
        page.get_by_role("link", name="Voorbereiding aangifte (PDF)").click()
    assert aangifte.value.suggested_filename == f"aangifte-voorbereiding-{melding.reference}.pdf"
    aangifte_text = _pdf_text(aangifte.value)
    page.get_by_role("link", name="Brief maken").click()
    page.select_option("select[name=brief-kind]", LetterKind.WARNING.value)
    page.fill("input[name=brief-perpetrator_name]", "P. Pleger")
    with page.expect_download() as letter:
        page.get_by_role("button", name="Maak PDF").click()
    assert letter.value.suggested_filename == f"waarschuwingsbrief-{melding.reference}.pdf"
    return aangifte_text, _pdf_text(letter.value)


def test_a_freshly_loaded_gemeente_is_set_up_in_one_sitting_and_is_ready(
    live_server, new_page, organisations
):
    base = live_server.url
    amersfoort = Organisation.objects.get(code="GM0307")
    assert not OrganisationProfile.objects.filter(
        organisation=amersfoort, visit_street__gt=""
    ).exists()
    griffier, griffier_secret = _with_totp(Role.GRIFFIER, amersfoort, "Gerda de Griffier")
    make_user(Role.SECRETARIS, amersfoort, full_name="Sander Secretaris")
    voorzitter = make_user(Role.VOORZITTER, amersfoort, full_name="Bram Burgemeester")
    raadslid = make_user(
        Role.OFFICE_HOLDER, amersfoort, Position.RAADSLID, full_name="Rik Raadslid"
    )
    beheerder, beheerder_secret = _with_totp(
        Role.FUNCTIONEEL_BEHEERDER,
        Organisation.objects.get(code="BZK"),
        "Bea Beheer",
        is_staff=True,
    )

    # The griffier, in one session.
    griffier_page = new_page()
    griffier_console = watch_console(griffier_page)
    login(griffier_page, base, griffier.email, PASSWORD, totp_secret=griffier_secret)
    _fill_profile(griffier_page, base)
    _change_protocol(griffier_page, base, griffier, voorzitter)
    _add_step_and_adapt_letter(griffier_page)

    # A raadslid of Amersfoort, in another browser.
    reporter_page = new_page()
    reporter_console = watch_console(reporter_page)
    melding = _file_as_raadslid(
        reporter_page,
        base,
        raadslid,
        receivers=[
            f"{griffier.full_name} — Griffier, Gemeente Amersfoort",
            f"{voorzitter.full_name} — Burgemeester (voorzitter), Gemeente Amersfoort",
        ],
    )
    assert CaseStep.objects.filter(melding=melding, title=STEP).exists()
    reporter_console.assert_clean()

    # The griffier, still in the same session, makes the documents from the case.
    aangifte, letter = _download_documents(griffier_page, base, melding)
    address = f"{STREET}, {POSTCODE} {PLACE}"
    assert address in aangifte, aangifte
    assert STREET in letter and f"{POSTCODE} {PLACE}" in letter, letter
    assert CLOSING in letter and "P. Pleger" in letter
    assert "Hoogachtend" not in letter
    griffier_console.assert_clean()

    # The functioneel beheerder: Amersfoort ready, every other organisation not.
    others = (
        Organisation.objects.filter(kind__in=KINDS, is_active=True).exclude(pk=amersfoort.pk)
    ).count()
    assert others == 374
    beheerder_page = new_page()
    beheerder_console = watch_console(beheerder_page)
    login(beheerder_page, base, beheerder.email, PASSWORD, totp_secret=beheerder_secret)
    assert_accessible(beheerder_page)
    beheerder_page.get_by_role("link", name="Gereedheid organisaties").click()
    beheerder_page.get_by_role("heading", name="Gereedheid organisaties").wait_for()
    beheerder_page.get_by_text(f"1 gereed, {others} nog niet gereed.").wait_for()
    rows = beheerder_page.locator("table tbody tr")
    assert rows.count() == others + 1
    amersfoort_row = beheerder_page.get_by_role("row", name="Gemeente Amersfoort")
    assert amersfoort_row.get_by_text("Gereed", exact=True).is_visible()
    assert rows.filter(has=beheerder_page.locator(".inc-badge")).count() == 1
    assert rows.filter(has=beheerder_page.locator("ul li")).count() == others
    groningen = rows.filter(has=beheerder_page.locator("th", has_text="Gemeente Groningen"))
    for gap in ("adres ontbreekt", "geen protocoltekst", "geen account: griffier"):
        assert groningen.get_by_role("link", name=gap).is_visible(), gap
    assert_accessible(beheerder_page)
    beheerder_console.assert_clean()
