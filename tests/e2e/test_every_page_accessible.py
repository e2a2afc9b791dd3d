"""Every page of every role with axe-core at 360 and 1280 px (issue 21 §5): 0 violations.

Per demo account (``seed_demo``) one browser context signs in once and walks breadth-first
over the same-origin links of the start page and the navigation. Addresses that differ only
in an id are one kind of page and are checked once. Pages reached through a form or that
need an object (new melding, new application, the account and MFA pages, the people and
invitation pages, …) are added by hand, and one form is sent empty to check the page with
its error messages. Logout, downloads, the Django admin and links that change something are
never followed."""

import io
import re
import time
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command

from otwb.constants import RegistrationStatus, SessionStatus
from otwb.models import Registration
from otwb.services.evaluations import evaluation_link
from weerbaar.constants import Position, Role
from weerbaar.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from weerbaar.invitations import create_invitation
from weerbaar.models import User

from .conftest import DESKTOP, MOBILE
from .helpers import axe_violations, login

pytestmark = pytest.mark.django_db(transaction=True)

RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
WIDTHS = {360: MOBILE, 1280: DESKTOP}

# role → the demo account that has it (weerbaar/demo.py)
ROLES = {
    "raadslid": "raadslid@utrecht.demo",
    "wethouder": "wethouder@utrecht.demo",
    "burgemeester": "burgemeester@utrecht.demo",
    "ambtenaar": "ambtenaar@utrecht.demo",
    "kandidaat": "kandidaat@utrecht.demo",
    "oud-raadslid": "oud-raadslid@utrecht.demo",
    "griffier": "griffier@utrecht.demo",
    "secretaris": "secretaris@utrecht.demo",
    "statenlid": "statenlid@provincie-utrecht.demo",
    "statengriffier": "griffier@provincie-utrecht.demo",
    "dijkgraaf": "dijkgraaf@waterschap.demo",
    "secretaris-directeur": "secretaris@waterschap.demo",
    "vertrouwenspersoon": "vertrouwenspersoon@otwb.demo",
    "otwb-coordinator": "coordinator@otwb.demo",
    "bzk-intake": "intake@bzk.demo",
    "ccv-adviseur": "adviseur@ccv.demo",
    "bva": "bva@bzk.demo",
    "analist": "analist@bzk.demo",
    "functioneel-beheerder": "beheer@weerbaar.demo",
}

# Reached by a form, a menu that is closed or an object rather than a link on the way; a page
# the role may not see is checked once as the error page it gets.
FIXED = [
    "/meldingen/nieuw/",
    "/meldingen/",
    "/meldingen/triage/",
    "/meldingen/triage/exporteren/",
    "/meldingen/protocol/",
    "/meldingen/protocol/ontvangers/",
    "/meldingen/gereedheid/",
    "/veilig-wonen/",
    "/veilig-wonen/aanvragen/nieuw/",
    "/veilig-wonen/wachtrij/",
    "/veilig-wonen/kosten/",
    "/otwb/",
    "/otwb/trajecten/",
    "/otwb/sessies/",
    "/otwb/sessies/nieuw/",
    "/otwb/trainers/",
    "/otwb/trainers/nieuw/",
    "/otwb/evaluaties/",
    "/otwb/mijn-agenda/",
    "/otwb/dekking/",
    "/monitor/",
    "/monitor/rapport/",
    "/berichten/",
    "/pushberichten/",
    "/organisatie/",
    "/mensen/",
    "/mensen/verkiezingen/",
    "/uitnodigingen/",
    "/uitnodigingen/lijst/",
    "/rollen/",
    "/toegangsaanvragen/",
    "/storingen/",
    "/blokkades/",
    "/toegankelijkheid/",
    "/privacy/",
    "/accounts/2fa/",
    "/accounts/2fa/recovery-codes/",
    "/accounts/2fa/totp/deactivate/",
    "/accounts/sessions/",
    "/accounts/email/",
    "/accounts/password/change/",
]
# Public pages, checked without signing in.
PUBLIC = [
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/uitgelogd/",
    "/toegang-aanvragen/",
    "/toegankelijkheid/",
    "/privacy/",
    "/bestaat-niet/",
    "/uitnodiging/onbekend/",
]
# Pages of an object that are reached by a button rather than a link: added when the
# object's page is visited.
BEHIND_BUTTONS = {
    re.compile(r"^/meldingen/\d+/$"): ["afsluiten/", "verstuurd/"],
    re.compile(r"^/otwb/sessies/\d+/$"): ["annuleren/", "evaluatie/", "planner/", "aanmelden/"],
}
# One form per kind of role sent empty, to check the page with its error messages.
EMPTY_FORM = {
    "raadslid": "/meldingen/nieuw/",
    "wethouder": "/veilig-wonen/aanvragen/nieuw/",
    "griffier": "/uitnodigingen/",
    "otwb-coordinator": "/otwb/sessies/nieuw/?soort=council",
    "analist": "/accounts/password/change/",
    "publiek": "/toegang-aanvragen/",
}

NEVER = re.compile(
    r"^/(beheer|i18n|health|push-sw\.js|static|media)(/|$)"
    r"|/accounts/(logout|oidc)/"
    r"|\.(pdf|csv|ics|zip|js|png|jpg|svg)$"
    r"|^/meldingen/bijlage/"
    r"|/documenten/\d+/$"
    r"|/(intrekken|verwijderen|opheffen|opgelost|beeindigen|einde-intrekken|opnieuw|gelezen)/$"
    r"|^/otwb/mijn-agenda/link/$"
    r"|^/rol/$"
    # Swagger UI (not our markup): checked for WCAG A/AA and CSP in test_api_docs_page.py.
    r"|^/api/"
)
# The account, MFA and fixed text pages are the same for every role but for the menu (which
# every role's own pages show): a reporter without and a griffier with an authenticator check
# them, and the public pages without signing in.
SHARED = re.compile(r"^/(accounts/|toegankelijkheid/$|privacy/$|pushberichten/$)")
SHARED_BY = {"raadslid", "griffier", "publiek"}
LIMIT = 120  # kinds of page per role; more means the deduplication below failed


def kind_of(path):
    """Addresses that differ only in an id or a token are one kind of page."""
    path = re.sub(r"/\d+(?=/|$|\.)", "/N", path)
    path = re.sub(r"/[A-Za-z0-9_-]{20,}(?=/|$)", "/TOKEN", path)
    return re.sub(r"/(GM|PV|WS)\d{4}/", r"/\1N/", path)


class Walk:
    """The pages one signed-in context checks, and what axe found on them."""

    def __init__(self, page, base_url, *, shared=True):
        self.page = page
        self.shared = shared
        self.base = base_url
        self.host = urlsplit(base_url).netloc
        self.seen = set()
        self.queue = []
        self.checked = 0
        self.violations = []
        self.width = 1280

    def add(self, url):
        url = urldefrag(url)[0]
        parts = urlsplit(url)
        if parts.netloc != self.host or NEVER.search(parts.path):
            return
        if not self.shared and SHARED.search(parts.path):
            return
        key = kind_of(parts.path)
        if key not in self.seen:
            self.seen.add(key)
            self.queue.append(
                f"{self.base}{parts.path}" + (f"?{parts.query}" if parts.query else "")
            )

    def links(self):
        for href in self.page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)"):
            self.add(href)

    def check(self, label):
        """axe at both widths; the width the page is at first, then the other. Folded parts
        (the account menu, explanations) are opened first: axe skips what is hidden."""
        self.page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        widths = [self.width] + [w for w in WIDTHS if w != self.width]
        for width in widths:
            if width != self.width:
                self.page.set_viewport_size(WIDTHS[width])
                self.width = width
            for v in axe_violations(self.page, RULES):
                self.violations.append(
                    f"{label} @ {width}px: {v['id']} ({v['impact']}) {v['help']}\n      "
                    + "\n      ".join(v["targets"])
                )
            self.checked += 1

    def visit(self, url):
        response = self.page.goto(url)
        path = urlsplit(self.page.url).path
        status = response.status if response else 0
        if status >= 400 or urlsplit(url).path != path:
            # Refused, missing or sent elsewhere: check each such outcome once.
            key = f"status {status}" if status >= 400 else f"-> {kind_of(path)}"
            if key in self.seen:
                return
            self.seen.add(key)
            self.seen.add(kind_of(path))
        self.check(f"{urlsplit(url).path} ({status})")
        self.links()
        for pattern, suffixes in BEHIND_BUTTONS.items():
            if pattern.search(path):
                for suffix in suffixes:
                    self.add(f"{self.base}{path}{suffix}")

    def run(self, start, extra=()):
        self.add(start)
        for path in extra:
            self.add(f"{self.base}{path}")
        while self.queue:
            assert len(self.seen) <= LIMIT, f"more than {LIMIT} kinds of page: {sorted(self.seen)}"
            self.visit(self.queue.pop(0))

    def send_empty(self, path):
        """Send the page's main form without filling anything in (the browser's own
        required-field check off, so the server answers) and check the page it returns."""
        self.page.goto(f"{self.base}{path}")
        with self.page.expect_navigation():
            self.page.evaluate(
                """() => {
                    const form = document.querySelector('main form[method=post]');
                    form.noValidate = true;
                    const button = form.querySelector('button[type=submit], button:not([type])');
                    form.requestSubmit(button);
                }"""
            )
        errors = self.page.locator(".utrecht-form-field--invalid, .errorlist, [role=alert]")
        assert errors.count(), f"sending {path} empty showed no error message"
        self.check(f"{path} sent empty")


# The roles whose pages draw the past year (monitor and coverage charts, long lists) walk
# with the demo history; the others without it, which seeds in a fraction of the time.
WITH_HISTORY = {"griffier", "otwb-coordinator", "analist", "functioneel-beheerder", "publiek"}


@pytest.fixture
def demo(request, settings, organisations):
    """The demo data; returns the public pages that need it: an invitation to accept and
    a named evaluation of a held session."""
    settings.DEMO_MODE = True
    history = request.node.callspec.params["role"] in WITH_HISTORY
    options = {} if history else {"without_history": True}
    call_command("seed_demo", stdout=io.StringIO(), **options)
    griffier = User.objects.get(email=ROLES["griffier"])
    _, token = create_invitation(
        inviter=griffier,
        email="nieuw-raadslid@utrecht.demo",
        organisation=griffier.active_memberships[0].organisation,
        role=Role.OFFICE_HOLDER,
        position=Position.RAADSLID,
        full_name="Nina Nieuw",
    )
    pages = [f"/uitnodiging/{token}/"]
    held = Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED, session__status=SessionStatus.HELD
    ).first()
    if held is not None:
        pages.append(evaluation_link(held.pk, "griffier"))
    return pages


@pytest.mark.parametrize("role", [*ROLES, "publiek"])
def test_every_page_of_the_role_has_no_axe_violations(live_server, browser, demo, role):
    started = time.monotonic()
    context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
    context.set_default_timeout(15_000)
    page = context.new_page()
    walk = Walk(page, live_server.url, shared=role in SHARED_BY)
    try:
        if role == "publiek":
            walk.run(f"{live_server.url}/accounts/login/", PUBLIC + demo)
        else:
            login(page, live_server.url, ROLES[role], DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
            walk.run(f"{live_server.url}/", FIXED)
        if role in EMPTY_FORM:
            walk.send_empty(EMPTY_FORM[role])
    finally:
        context.close()
    print(
        f"\n{role}: {walk.checked // 2} pages × 2 widths = {walk.checked} checks"
        f" in {time.monotonic() - started:.1f}s"
    )
    assert not walk.violations, (
        f"axe found {len(walk.violations)} violation(s) for {role}:\n  "
        + "\n  ".join(walk.violations)
    )
