"""Filing on a phone in three screens, then certainty (issue 21 §2), in a real browser.

At 360 px a raadslid files a complete melding (one attachment included) in three form
screens: a required answer left out on screen 1 gives the server's Dutch message in a focused
error summary, going back from screen 3 to screen 1 and forward again loses nothing, and the
melding is sent from screen 3 to the page that says who has it and by when they answer. At
1280 px the form stays one page. Without JavaScript it is one page on a phone too and still
files. axe (WCAG 2.1 AA) finds nothing on each screen and on the page after sending at both
widths. The screens, answers and taps the phone path takes are counted and printed; with
``WB_SCREENSHOTS=1`` each screen is saved as documentation in docs/screenshots/filing-*.png."""

import io
from collections import Counter

import pytest
from PIL import Image

from incidents.constants import Status
from incidents.models import Attachment, Melding
from tests.factories import PASSWORD, make_user
from weerbaar.constants import Position, Role
from weerbaar.models import OrganisationProfile

from .conftest import MOBILE, _new_page
from .helpers import DOCS, assert_accessible, keeps_screenshots, login, watch_console

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = DOCS / "screenshots"
DESCRIPTION = "Na de raadsvergadering stond een man bij mijn auto: 'Wij weten waar je woont.'"
STEP_TITLES = [
    "Stap 1 van 3: Wat is er gebeurd?",
    "Stap 2 van 3: Wie was erbij?",
    "Stap 3 van 3: Wat heeft u nodig?",
]


def screenshot(page, name, *, top=False):
    """The viewport (from the top of the page with ``top``) as a small PNG (a 256-colour
    palette is plenty for a form), when this run keeps its screenshots."""
    if not keeps_screenshots():
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if top:
        page.evaluate("window.scrollTo(0, 0)")
    image = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    image.quantize(colors=256).save(SCREENSHOTS / name, optimize=True)


def photo():
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 90, 160)).save(out, format="PNG")
    return {"name": "auto.png", "mimeType": "image/png", "buffer": out.getvalue()}


class Counted:
    """The phone path, counted as a reporter would feel it: screens of the form seen, answers
    given, and taps (a tap into each text field, on each choice and on each button)."""

    def __init__(self, page):
        self.page = page
        self.n = Counter()

    def fill(self, label, value, **kw):
        self.page.get_by_label(label, **kw).fill(value)
        self.n["fields"] += 1
        self.n["taps"] += 1

    def check(self, label, *, field=True, **kw):
        self.page.get_by_label(label, **kw).check()
        self.n["fields"] += field
        self.n["taps"] += 1

    def files(self, label, files):
        self.page.get_by_label(label).set_input_files(files)
        self.n["fields"] += 1
        self.n["taps"] += 2  # open the picker, pick the photo

    def tap(self, name):
        self.page.get_by_role("button", name=name, exact=True).click()
        self.n["taps"] += 1


def current_step(page):
    title = page.locator("[data-step]:visible h2.inc-step__title").text_content()
    return " ".join(title.split())


def focused(page, selector):
    return page.evaluate(f"document.activeElement.matches({selector!r})")


@pytest.fixture
def reporter(gemeente_a, otwb_org):
    make_user(Role.GRIFFIER, gemeente_a, full_name="Gerda de Griffier")
    make_user(Role.VERTROUWENSPERSOON, otwb_org, full_name="Vera Vertrouwen")
    OrganisationProfile.objects.filter(organisation=gemeente_a).update(phone="030 286 10 00")
    OrganisationProfile.objects.update_or_create(
        organisation=otwb_org, defaults={"phone": "070 123 45 67"}
    )
    return make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID, full_name="Ron Raad")


def assert_sent_page(page, melding):
    assert page.url.endswith(f"/meldingen/{melding.pk}/verstuurd/")
    assert page.get_by_role("heading", name="Melding verstuurd").is_visible()
    assert page.get_by_text("Uw melding is verstuurd.").is_visible()
    assert page.get_by_text("Gerda de Griffier — Griffier, Gemeente Utrecht").is_visible()
    assert page.get_by_text("U krijgt uiterlijk").is_visible()
    assert page.get_by_role("link", name="030 286 10 00").is_visible()
    assert page.get_by_role("link", name="070 123 45 67").is_visible()
    assert page.get_by_text("Bent u in gevaar? Bel 112.").is_visible()
    assert page.get_by_role("link", name=f"Naar uw melding {melding.reference}").is_visible()
    assert page.locator("#main").get_by_role("link", name="Mijn meldingen").is_visible()


def test_phone_files_in_three_screens_and_lands_on_who_has_it(live_server, mobile_page, reporter):
    page = mobile_page
    console = watch_console(page)
    login(page, live_server.url, reporter.email, PASSWORD)
    page.goto(f"{live_server.url}/meldingen/nieuw/")
    path = Counted(page)
    screens = [current_step(page)]

    # Screen 1: the 112 notice and the protocol only here; one part of the form at a time.
    assert screens[0] == STEP_TITLES[0]
    assert page.get_by_text("Bel eerst 112").is_visible()
    assert not page.get_by_role("button", name="Melding versturen").is_visible()
    assert page.get_by_role("button", name="Opslaan als concept").is_visible()
    assert_accessible(page)
    screenshot(page, "filing-step1-360.png", top=True)

    # A required answer left out: the server's message, in a summary that takes the focus.
    path.fill("Wanneer gebeurde het?", "2026-11-27T21:30")
    path.check("Op het werk", exact=True)
    path.check("In een vergadering", exact=True)
    path.check("Bedreiging", exact=True)
    path.tap("Volgende")
    summary = page.locator("[data-error-summary]")
    assert summary.get_by_role("link", name="Wat is er gebeurd?: Dit veld is verplicht.").count()
    assert focused(page, "[data-error-summary]")
    assert current_step(page) == STEP_TITLES[0]
    assert page.locator("#id_description").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    path.fill("Wat is er gebeurd?", DESCRIPTION)
    path.check("Intimidatie", exact=True)
    path.tap("Volgende")
    screens.append(current_step(page))

    # Screen 2: who and what, with a photo.
    assert screens[1] == STEP_TITLES[1]
    assert focused(page, "#stap-2-titel")
    assert summary.count() == 0
    assert not page.get_by_text("Bel eerst 112").is_visible()
    assert page.get_by_role("button", name="Opslaan als concept").is_visible()
    path.check("Onbekend", exact=True)
    path.fill("Waren er getuigen?", "Een collega-raadslid zag het.")
    path.files("Bijlagen (schermafdrukken, foto's of PDF)", photo())
    assert_accessible(page)
    screenshot(page, "filing-step2-360.png", top=True)
    path.tap("Volgende")
    screens.append(current_step(page))

    # Screen 3: what is needed, who receives it, and the send button.
    assert screens[2] == STEP_TITLES[2]
    path.check("Een gesprek")
    assert page.get_by_text("Gerda de Griffier — Griffier, Gemeente Utrecht").is_visible()
    assert page.get_by_role("button", name="Melding versturen").is_visible()
    assert_accessible(page)
    screenshot(page, "filing-step3-360.png", top=True)
    on_path = Counter(path.n)

    # Back to screen 1 and forward again: everything is still there, the photo too.
    path.tap("Vorige")
    assert current_step(page) == STEP_TITLES[1]
    assert page.locator("#id_attachments").evaluate("el => el.files.length") == 1
    path.tap("Vorige")
    assert current_step(page) == STEP_TITLES[0]
    assert page.get_by_label("Wat is er gebeurd?").input_value() == DESCRIPTION
    assert page.get_by_label("Op het werk", exact=True).is_checked()
    assert page.get_by_label("Wanneer gebeurde het?").input_value() == "2026-11-27T21:30"
    path.tap("Volgende")
    assert page.get_by_label("Waren er getuigen?").input_value() == "Een collega-raadslid zag het."
    path.tap("Volgende")
    assert current_step(page) == STEP_TITLES[2]
    assert page.get_by_label("Een gesprek").is_checked()
    with page.expect_navigation():
        path.tap("Melding versturen")
    on_path["taps"] += 1  # the tap on "Melding versturen" belongs to the straight path

    melding = Melding.objects.get(reporter=reporter)
    assert melding.status == Status.SUBMITTED
    assert melding.description == DESCRIPTION and melding.help_wanted == ["talk"]
    assert sorted(melding.categories) == ["intimidation", "threat"]
    assert Attachment.objects.filter(melding=melding).count() == 1
    assert_sent_page(page, melding)
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    assert_accessible(page)
    screenshot(page, "filing-sent-360.png", top=True)
    console.assert_clean()

    # The straight path: the answers a complete melding needs, with one mistake on the way.
    assert len(screens) == len(set(screens)) == 3
    print(
        f"\nfiling at 360 px: {len(screens)} form screens, {on_path['fields']} fields filled, "
        f"{on_path['taps']} taps (incl. one client-side error and its fix); "
        f"with the trip back to screen 1 and forward: {path.n['taps']} taps"
    )


def test_wide_screen_keeps_one_page_and_sends_from_it(live_server, page, reporter):
    console = watch_console(page)
    login(page, live_server.url, reporter.email, PASSWORD)
    page.goto(f"{live_server.url}/meldingen/nieuw/")
    assert not page.get_by_role("button", name="Volgende").first.is_visible()
    assert not page.get_by_text("Stap 1 van 3").is_visible()
    for title in ("Wat is er gebeurd?", "Wie was erbij?", "Wat heeft u nodig?"):
        assert page.get_by_role("heading", name=title, exact=True).is_visible()
    page.get_by_label("Wanneer gebeurde het?").fill("2026-11-27T21:30")
    page.get_by_label("Online", exact=True).check()
    page.get_by_label("Sociale media").check()
    page.get_by_label("Bedreiging", exact=True).check()
    page.get_by_label("Wat is er gebeurd?").fill(DESCRIPTION)
    page.get_by_label("Onbekend", exact=True).check()
    page.get_by_label("Bijlagen (schermafdrukken, foto's of PDF)").set_input_files(photo())
    page.get_by_label("Een gesprek").check()
    assert_accessible(page)
    for number in (1, 2, 3):
        page.evaluate(f"document.getElementById('stap-{number}').scrollIntoView()")
        screenshot(page, f"filing-step{number}-1280.png")
    with page.expect_navigation():
        page.get_by_role("button", name="Melding versturen").click()
    melding = Melding.objects.get(reporter=reporter)
    assert Attachment.objects.filter(melding=melding).count() == 1
    assert_sent_page(page, melding)
    assert_accessible(page)
    screenshot(page, "filing-sent-1280.png", top=True)
    console.assert_clean()


def test_without_javascript_the_one_page_form_still_files_on_a_phone(
    live_server, browser, reporter
):
    context, page = _new_page(browser, MOBILE, java_script_enabled=False)
    try:
        login(page, live_server.url, reporter.email, PASSWORD)
        page.goto(f"{live_server.url}/meldingen/nieuw/")
        assert not page.get_by_role("button", name="Volgende").first.is_visible()
        assert page.get_by_text("Gerda de Griffier — Griffier, Gemeente Utrecht").is_visible()
        page.get_by_label("Wanneer gebeurde het?").fill("2026-11-27T21:30")
        page.get_by_label("Thuis", exact=True).check()
        page.get_by_label("Aan huis", exact=True).check()
        page.get_by_label("Bedreiging", exact=True).check()
        page.get_by_label("Wat is er gebeurd?").fill(DESCRIPTION)
        with page.expect_navigation():
            page.get_by_role("button", name="Melding versturen").click()
        melding = Melding.objects.get(reporter=reporter)
        assert melding.status == Status.SUBMITTED
        assert_sent_page(page, melding)
    finally:
        context.close()


def test_an_error_from_the_server_opens_the_part_that_holds_it(live_server, mobile_page, reporter):
    page = mobile_page
    login(page, live_server.url, reporter.email, PASSWORD)
    page.goto(f"{live_server.url}/meldingen/nieuw/")
    page.get_by_label("Wanneer gebeurde het?").fill("2026-11-27T21:30")
    page.get_by_label("Online", exact=True).check()
    page.get_by_label("Sociale media").check()
    page.get_by_label("Bedreiging", exact=True).check()
    page.get_by_label("Wat is er gebeurd?").fill(DESCRIPTION)
    page.get_by_role("button", name="Volgende", exact=True).click()
    notes = {"name": "notities.txt", "mimeType": "text/plain", "buffer": b"geen foto"}
    page.get_by_label("Bijlagen (schermafdrukken, foto's of PDF)").set_input_files(notes)
    page.get_by_role("button", name="Volgende", exact=True).click()
    with page.expect_navigation():
        page.get_by_role("button", name="Melding versturen").click()

    assert current_step(page) == STEP_TITLES[1]
    summary = page.locator("[data-error-summary]")
    assert summary.get_by_text("notities.txt is geen foto").is_visible()
    assert focused(page, "[data-error-summary]")
    assert not Melding.objects.filter(reporter=reporter).exists()
    assert_accessible(page)
    page.get_by_role("button", name="Vorige", exact=True).click()
    assert page.get_by_label("Wat is er gebeurd?").input_value() == DESCRIPTION
