"""Who may report beyond today's account holders (issue 20 §4), in a real browser: a
candidate's melding reaches the griffier of the gemeente they stand for (and not another's);
someone without an account asks for one on the public page (bad input first: Dutch errors,
nothing typed lost), the griffier approves it, the invitation email's link makes the
account, and the new raadslid files a melding about their partner. axe at 1280 and 360."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from incidents.constants import About, Route
from incidents.models import Melding
from tests.factories import PASSWORD, MembershipFactory, UserFactory, make_user
from weerbaar.constants import Position, Role
from weerbaar.models import AccessRequest, Membership
from weerbaar.notifications import deliver_pending

from .conftest import DESKTOP, MOBILE
from .helpers import assert_accessible, login, watch_console
from .test_incidents_paths import (
    acknowledge_on_dashboard,
    assert_case_not_found,
    file_melding,
    with_totp,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(viewport=DESKTOP, **options):
        context = browser.new_context(viewport=viewport, locale="nl-NL", **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def test_candidates_melding_reaches_the_griffier_they_stand_for(
    live_server, new_page, gemeente_a, gemeente_b
):
    kandidaat = UserFactory()
    MembershipFactory(
        user=kandidaat,
        organisation=gemeente_a,
        role=Role.CANDIDATE,
        position=Position.RAADSLID,
        valid_until=timezone.now() + timedelta(days=30),
    )
    griffier = make_user(Role.GRIFFIER, gemeente_a)
    griffier_b = make_user(Role.GRIFFIER, gemeente_b)
    reporter_page, triager_page = new_page(), new_page()
    consoles = [watch_console(reporter_page), watch_console(triager_page)]

    melding = file_melding(
        reporter_page,
        live_server.url,
        kandidaat,
        expected=[f"{griffier.full_name} — Griffier, Gemeente Utrecht"],
        unexpected=[f"{griffier_b.full_name} — Griffier, Gemeente Groningen"],
    )
    assert (melding.route, melding.route_organisation) == (Route.GRIFFIER, gemeente_a)
    assert melding.reporter_role == Role.CANDIDATE
    acknowledge_on_dashboard(triager_page, live_server.url, griffier, melding)
    assert triager_page.get_by_text("Kandidaat-raadslid").first.is_visible()
    assert_case_not_found(new_page(), live_server.url, griffier_b, melding)
    for console in consoles:
        console.assert_clean()


def _fill_request(page, *, position):
    page.get_by_label("Uw naam").fill("Rosa Nieuw")
    page.get_by_label("Uw e-mailadres").fill("rosa.nieuw@example.org")
    page.locator("select[name=organisation]").select_option(label="Gemeente Utrecht")
    page.get_by_label("Ik ben ambtsdrager (bijvoorbeeld raadslid of wethouder)").check()
    page.locator("select[name=position]").select_option(label=position)
    page.get_by_label("Toelichting (niet verplicht)").fill("Sinds maart raadslid.")


def test_access_request_approved_invitation_accepted_and_family_melding_filed(
    live_server, new_page, gemeente_a
):
    griffier = make_user(Role.GRIFFIER, gemeente_a)
    base = live_server.url

    desktop = new_page()
    desktop.goto(f"{base}/toegang-aanvragen/")
    assert_accessible(desktop)

    # The requester, on a phone: empty form, then a position of a provincie.
    public = new_page(MOBILE, is_mobile=True, has_touch=True)
    console = watch_console(public)
    public.goto(f"{base}/accounts/login/")
    with public.expect_navigation():
        public.get_by_role("link", name="Nog geen account? Vraag toegang aan").click()
    assert_accessible(public)
    # 375 organisations in one select, and long names: nothing wider than the phone.
    assert public.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    with public.expect_navigation():
        public.get_by_role("button", name="Aanvraag versturen").click()
    summary = public.locator("[data-error-summary]")
    assert summary.get_by_text("Vul uw naam in.").is_visible()
    assert summary.get_by_text("Kies de organisatie waarvoor u toegang vraagt.").is_visible()
    assert_accessible(public)
    _fill_request(public, position="Statenlid")
    with public.expect_navigation():
        public.get_by_role("button", name="Aanvraag versturen").click()
    assert public.get_by_text("Deze functie hoort niet bij Gemeente Utrecht").first.is_visible()
    assert public.get_by_label("Uw naam").input_value() == "Rosa Nieuw"
    assert public.get_by_label("Uw e-mailadres").input_value() == "rosa.nieuw@example.org"
    assert public.get_by_label("Toelichting (niet verplicht)").input_value() == (
        "Sinds maart raadslid."
    )
    assert_accessible(public)
    public.locator("select[name=position]").select_option(label="Raadslid")
    with public.expect_navigation():
        public.get_by_role("button", name="Aanvraag versturen").click()
    assert public.url == f"{base}/toegang-aanvragen/ontvangen/"
    assert public.get_by_role("heading", name="Aanvraag ontvangen").is_visible()
    assert_accessible(public)
    request = AccessRequest.objects.get()

    # The griffier approves it in the portal.
    griffier_page = new_page()
    login(griffier_page, base, griffier.email, PASSWORD, totp_secret=with_totp(griffier))
    griffier_page.goto(f"{base}/toegangsaanvragen/")
    assert_accessible(griffier_page)
    with griffier_page.expect_navigation():
        griffier_page.get_by_role("link", name="Rosa Nieuw").click()
    assert griffier_page.url == f"{base}/toegangsaanvragen/{request.pk}/"
    assert griffier_page.get_by_text("Sinds maart raadslid.").is_visible()
    assert_accessible(griffier_page)
    with griffier_page.expect_navigation():
        griffier_page.get_by_role("button", name="Goedkeuren en uitnodigen").click()
    assert griffier_page.get_by_text("De aanvraag is goedgekeurd.").is_visible()
    assert_accessible(griffier_page)

    # The invitation email's link makes the account.
    deliver_pending()  # the emails go through the outbox
    (message,) = [m for m in mail.outbox if m.to == ["rosa.nieuw@example.org"]]
    link = re.search(r"https?://\S+/uitnodiging/(\S+)/", message.body).group(1)
    public.goto(f"{base}/uitnodiging/{link}/")
    assert public.get_by_label("Uw naam").input_value() == "Rosa Nieuw"
    public.locator("input[name=password1]").fill("Een lange zin als wachtwoord")
    public.locator("input[name=password2]").fill("Een lange zin als wachtwoord")
    with public.expect_navigation():
        public.get_by_role("button", name="Account maken").click()
    membership = Membership.objects.get(user__email="rosa.nieuw@example.org")
    assert (membership.organisation, membership.role, membership.position) == (
        gemeente_a,
        Role.OFFICE_HOLDER,
        Position.RAADSLID,
    )

    # ... and the new raadslid reports what happened to their partner.
    public.goto(f"{base}/meldingen/nieuw/")
    public.get_by_label("Partner", exact=True).check()
    public.get_by_label("Wanneer gebeurde het?").fill("2026-11-27T21:30")
    public.get_by_label("Thuis", exact=True).check()
    public.get_by_label("Persoonlijk", exact=True).check()
    public.get_by_label("Bedreiging", exact=True).check()
    public.get_by_label("Wat is er gebeurd?").fill("Mijn partner werd bij ons huis aangesproken.")
    assert_accessible(public)
    for _part in (1, 2):  # the phone shows the form in three parts
        public.locator("[data-step-next]:visible").click()
    with public.expect_navigation():
        public.get_by_role("button", name="Melding versturen").click()
    assert public.get_by_text("Uw melding is verstuurd.").is_visible()
    melding = Melding.objects.get(reporter=membership.user)
    assert melding.about == About.PARTNER
    assert (melding.route, melding.route_organisation) == (Route.GRIFFIER, gemeente_a)
    public.goto(f"{base}/meldingen/{melding.pk}/")
    assert "Partner" in public.locator(".inc-facts").inner_text()
    assert_accessible(public)
    console.assert_clean()
