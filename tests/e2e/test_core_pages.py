"""The core pages in a real browser: logging in with password and authenticator code, the
home page per role, and WCAG 2.1 AA (axe-core) with the real CSS at desktop and phone width,
without a single Content-Security-Policy violation."""

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP

from tests.factories import PASSWORD, make_user
from weerbaar.constants import Role
from weerbaar.models import Notification

from .helpers import assert_accessible, login, watch_console

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORTS = ["page", "mobile_page"]


@pytest.fixture
def griffier_with_totp(gemeente_a):
    user = make_user(Role.GRIFFIER, gemeente_a, full_name="Gerda de Griffier")
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    return user, secret


@pytest.fixture
def logged_in(live_server, griffier_with_totp, request):
    """``logged_in(fixture_name)`` → that page fixture, signed in as the griffier."""

    def make(fixture_name):
        page = request.getfixturevalue(fixture_name)
        user, secret = griffier_with_totp
        login(page, live_server.url, user.email, PASSWORD, totp_secret=secret)
        return page

    return make


def test_griffier_logs_in_with_password_and_totp_and_lands_on_home(
    live_server, page, griffier_with_totp
):
    user, secret = griffier_with_totp
    console = watch_console(page)
    login(page, live_server.url, user.email, PASSWORD, totp_secret=secret)

    assert page.url == f"{live_server.url}/"
    assert page.locator("h1").inner_text() == "Welkom, Gerda de Griffier"
    assert page.get_by_role("link", name="Mensen uitnodigen").is_visible()
    assert page.get_by_text("U werkt nu als Griffier bij Utrecht.").is_visible()
    assert page.locator("html").get_attribute("lang") == "nl"
    console.assert_clean()


def test_theme_css_is_loaded(live_server, page):
    """A page without its CSS would hide contrast problems from axe."""
    page.goto(f"{live_server.url}/accounts/login/")
    header = page.locator(".wb-header__bar")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(21, 66, 115)"
    font = page.locator("body").evaluate("e => getComputedStyle(e).fontFamily")
    assert "Source Sans 3" in font


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/password/reset/"])
def test_public_page_is_accessible(live_server, request, viewport, path):
    page = request.getfixturevalue(viewport)
    console = watch_console(page)
    page.goto(f"{live_server.url}{path}")
    assert_accessible(page)
    console.assert_clean()


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/berichten/",
        "/toegankelijkheid/",
        "/privacy/",
        "/uitnodigingen/",
        "/accounts/2fa/",
        "/accounts/2fa/recovery-codes/generate/",
        "/accounts/2fa/webauthn/add/",
        "/accounts/sessions/",
        "/accounts/logout/",
    ],
)
def test_core_page_is_accessible(live_server, logged_in, griffier_with_totp, viewport, path):
    user, _ = griffier_with_totp
    Notification.objects.create(
        recipient=user,
        kind="test",
        subject="Er is een nieuwe melding voor u",
        body="Log in om die te bekijken.",
        link="/",
        next_attempt_at="2026-01-01T09:00:00+01:00",
    )
    page = logged_in(viewport)
    console = watch_console(page)
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200
    assert_accessible(page)
    console.assert_clean()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_not_found_page_is_accessible_and_dutch(live_server, logged_in, viewport):
    page = logged_in(viewport)
    response = page.goto(f"{live_server.url}/bestaat-niet/")
    assert response.status == 404
    assert "Deze pagina bestaat niet" in page.locator("h1").inner_text()
    assert_accessible(page)


def test_nothing_overflows_a_phone_screen(live_server, logged_in):
    page = logged_in("mobile_page")
    for path in ("/", "/berichten/", "/uitnodigingen/"):
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide"


def test_totp_activation_shows_qr_code_without_csp_violation(live_server, page, gemeente_a):
    user = make_user(Role.SECRETARIS, gemeente_a)
    console = watch_console(page)
    login(page, live_server.url, user.email, PASSWORD)

    assert "/accounts/2fa/totp/activate/" in page.url
    qr = page.locator("img.wb-qr")
    assert qr.is_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert_accessible(page)
    console.assert_clean()


def test_mfa_authentication_step_is_accessible(live_server, page, griffier_with_totp):
    user, _ = griffier_with_totp
    console = watch_console(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form.wb-form button[type=submit]")
    assert "/accounts/2fa/authenticate/" in page.url
    assert_accessible(page)
    console.assert_clean()


def test_keyboard_user_reaches_main_content_with_skip_link(live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.keyboard.press("Tab")
    skip = page.locator(".utrecht-skip-link")
    assert skip.evaluate("e => e === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_axe_check_reports_violations(page):
    """The harness itself: an unlabelled field and faint text must fail the check."""
    page.set_content(
        '<html lang="nl"><head><title>t</title></head><body><main>'
        '<input type="text"><p style="color:#ccc">vaag</p></main></body></html>'
    )
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    assert "label" in str(failure.value)
    assert "color-contrast" in str(failure.value)


def test_console_watcher_reports_a_blocked_inline_script(live_server, page):
    """The harness itself: an inline script without the nonce is blocked and reported."""
    console = watch_console(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.body.append(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.ran") is None
    with pytest.raises(AssertionError, match="CSP violation"):
        console.assert_clean()
