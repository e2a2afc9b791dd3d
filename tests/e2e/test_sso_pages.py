"""Single sign-on in Chromium against a real OpenID provider on loopback (the npm
``oidc-provider``, tests/oidc/provider.mjs), through the real redirects: the gemeente's
provider signs in a raadslid and logs them out there too; a staff member is let past the
portal's second factor only when the provider is trusted and its token proves MFA; a
replayed callback, another domain, an unverified address, a deactivated account and a
forged token signature are refused with a Dutch message on the login page, audited, and
with no address or token in the logs."""

import logging

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from tests.factories import make_user
from tests.oidc.server import running_provider
from weerbaar.constants import AuditAction, Role
from weerbaar.models import AuditEvent, IdentityProvider

from .helpers import assert_accessible, watch_console

pytestmark = pytest.mark.django_db(transaction=True)

CLIENT_ID = "weerbaar-portal"
CLIENT_SECRET = "loopback-client-secret-0123456789abcdef"
SLUG = "utrecht"
BUTTON = "Inloggen met Gemeente Utrecht (Entra ID)"


@pytest.fixture
def idp(live_server, gemeente_a):
    """``idp(accounts, **provider_fields)``: starts the loopback provider with ``accounts``
    and configures it in the portal for gemeente Utrecht (utrecht.nl)."""
    stack = []

    def start(accounts, **fields):
        context = running_provider(
            clients=[
                {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": [f"{live_server.url}/accounts/oidc/{SLUG}/login/callback/"],
                    "post_logout_redirect_uris": [f"{live_server.url}/accounts/login/"],
                }
            ],
            accounts=accounts,
        )
        issuer = context.__enter__()
        stack.append(context)
        provider = IdentityProvider.objects.create(
            name="Gemeente Utrecht (Entra ID)",
            slug=SLUG,
            server_url=issuer,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            email_domains="utrecht.nl",
            **fields,
        )
        provider.organisations.add(gemeente_a)
        return provider

    yield start
    for context in stack:
        context.__exit__(None, None, None)


def account(email, *, verified=True, amr=None, forge=False):
    entry = {"claims": {"email": email, "email_verified": verified, "name": "Test Persoon"}}
    if amr:
        entry["amr"] = amr
    if forge:
        entry["forge_signature"] = True
    return entry


def sso_login(page, base_url, sub, *, callbacks=None):
    """Click the provider's button on the login page and sign in at the provider as
    ``sub``; returns when the portal answered the callback."""
    page.goto(f"{base_url}/accounts/login/")
    if callbacks is not None:
        page.on(
            "request", lambda r: callbacks.append(r.url) if "/login/callback/" in r.url else None
        )
    page.get_by_role("button", name=BUTTON).click()
    page.locator("input[name=login]").fill(sub)
    page.locator("input[name=password]").fill("wachtwoord-bij-de-idp")
    with page.expect_navigation(url=lambda url: url.startswith(base_url)):
        page.get_by_role("button", name="Sign-in").click()
    page.wait_for_load_state("load")


def assert_no_secrets_logged(caplog, *secrets):
    text = "\n".join(record.getMessage() for record in caplog.records)
    for secret in secrets:
        assert secret not in text
    assert "eyJ" not in text  # no JWT (ID token) anywhere


def test_raadslid_signs_in_with_the_gemeente_provider_and_logs_out_there_too(
    live_server, page, idp, gemeente_a, caplog
):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("faker").setLevel(logging.INFO)
    user = make_user(Role.OFFICE_HOLDER, gemeente_a, email="rita.raadslid@utrecht.nl")
    idp({"rita": account("Rita.Raadslid@utrecht.nl")})
    console = watch_console(page)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("heading", name="Inloggen via uw organisatie").wait_for()
    assert_accessible(page)
    callbacks = []
    sso_login(page, live_server.url, "rita", callbacks=callbacks)
    assert page.url.rstrip("/") == live_server.url
    page.locator("summary", has_text="Mijn account").click()  # the account menu
    assert page.get_by_role("button", name="Uitloggen").is_visible()
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=user).count() == 1
    assert len(callbacks) == 1 and "code=" in callbacks[0]

    # Logging out ends the portal session and offers the provider's end-session endpoint.
    page.get_by_role("button", name="Uitloggen").click()
    page.get_by_role("heading", name="U bent uitgelogd uit de portal").wait_for()
    assert_accessible(page)
    assert "id_token_hint" not in page.url
    page.get_by_role("button", name="Ook uitloggen bij Gemeente Utrecht (Entra ID)").click()
    # oidc-provider asks for confirmation, then returns to the portal's login page.
    with page.expect_navigation(url=lambda url: url.startswith(live_server.url)):
        page.get_by_role("button", name="Yes, sign me out").click()
    page.get_by_role("heading", name="Inloggen", exact=True).wait_for()
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=user).count() == 1
    # The provider's session ended too: its login form is asked for again.
    page.get_by_role("button", name=BUTTON).click()
    page.locator("input[name=login]").wait_for()

    # The callback of the first login, replayed in the same browser, signs nobody in.
    page.goto(callbacks[0])
    page.get_by_text("Deze inlogpoging is verlopen of al gebruikt.").wait_for()
    assert "/accounts/login/" in page.url
    refused = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert refused.detail == {"method": "sso", "provider": SLUG, "reason": "unknown_state"}
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN).count() == 1
    assert not console.csp_violations
    assert_no_secrets_logged(caplog, "rita.raadslid", "Rita.Raadslid", CLIENT_SECRET)


@pytest.mark.parametrize(
    ("claims", "make_inactive", "message", "reason"),
    [
        (
            account("rita.raadslid@amersfoort.nl"),
            False,
            "Met een e-mailadres van dit domein kunt u niet inloggen via Gemeente Utrecht",
            "foreign_domain",
        ),
        (
            account("rita.raadslid@utrecht.nl", verified=False),
            False,
            "Uw organisatie heeft uw e-mailadres niet als geverifieerd doorgegeven.",
            "unverified_email",
        ),
        (
            account("rita.raadslid@utrecht.nl"),
            True,
            "Via Gemeente Utrecht (Entra ID) kunt u niet inloggen in de portal",
            "inactive",
        ),
        (
            account("rita.raadslid@utrecht.nl", forge=True),
            False,
            "Inloggen via Gemeente Utrecht (Entra ID) is mislukt. Probeer het opnieuw.",
            "bad_signature",
        ),
    ],
    ids=["wrong-domain", "unverified-email", "deactivated-account", "bad-signature"],
)
def test_refused_sso_login_says_why_in_dutch_and_is_audited(
    live_server, page, idp, gemeente_a, caplog, claims, make_inactive, message, reason
):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("faker").setLevel(logging.INFO)
    user = make_user(Role.OFFICE_HOLDER, gemeente_a, email="rita.raadslid@utrecht.nl")
    # The foreign-domain address has an account too: the domain alone refuses it.
    make_user(Role.OFFICE_HOLDER, gemeente_a, email="rita.raadslid@amersfoort.nl")
    if make_inactive:
        user.is_active = False
        user.save(update_fields=["is_active"])
    idp({"rita": claims})
    console = watch_console(page)

    sso_login(page, live_server.url, "rita")

    assert "/accounts/login/" in page.url
    page.get_by_text(message).wait_for()
    assert page.get_by_role("button", name=BUTTON).count() == 1
    assert "Traceback" not in page.content()
    assert_accessible(page)
    refused = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert refused.detail == {"method": "sso", "provider": SLUG, "reason": reason}
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN).exists()
    page.goto(live_server.url)
    assert "/accounts/login/" in page.url  # nobody signed in
    assert not console.csp_violations
    assert_no_secrets_logged(caplog, "rita.raadslid", CLIENT_SECRET)


def test_griffier_skips_the_portal_second_factor_only_when_the_trusted_provider_proves_mfa(
    live_server, browser, idp, gemeente_a
):
    griffier = make_user(Role.GRIFFIER, gemeente_a, email="gerda.griffier@utrecht.nl")
    assert griffier.requires_mfa
    idp(
        {
            "gerda-mfa": account("gerda.griffier@utrecht.nl", amr=["pwd", "mfa"]),
            "gerda-pwd": account("gerda.griffier@utrecht.nl", amr=["pwd"]),
        },
        trusted_for_mfa=True,
    )

    with_mfa = browser.new_context(locale="nl-NL")
    page = with_mfa.new_page()
    sso_login(page, live_server.url, "gerda-mfa")
    assert page.url.rstrip("/") == live_server.url
    page.goto(f"{live_server.url}/uitnodigingen/")
    assert "/uitnodigingen/" in page.url  # a staff page, no detour to the second factor
    with_mfa.close()

    # The same provider, a token without MFA: the portal's own second factor (enrolment).
    without_mfa = browser.new_context(locale="nl-NL")
    page = without_mfa.new_page()
    sso_login(page, live_server.url, "gerda-pwd")
    page.goto(f"{live_server.url}/uitnodigingen/")
    assert "/accounts/2fa/totp/activate/" in page.url
    without_mfa.close()
    assert not Authenticator.objects.filter(user=griffier).exists()


def test_griffier_with_an_authenticator_enters_the_portal_code_after_an_untrusted_provider(
    live_server, page, idp, gemeente_a
):
    griffier = make_user(Role.GRIFFIER, gemeente_a, email="gerda.griffier@utrecht.nl")
    secret = pyotp.random_base32()
    TOTP.activate(griffier, secret)
    # The token says MFA, but the beheerder did not mark the provider as trusted.
    idp({"gerda": account("gerda.griffier@utrecht.nl", amr=["pwd", "mfa"])})

    sso_login(page, live_server.url, "gerda")
    assert "/accounts/2fa/authenticate/" in page.url
    assert_accessible(page)
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    with page.expect_navigation():
        page.click("form.wb-form button[type=submit]")
    assert page.url.rstrip("/") == live_server.url
    page.goto(f"{live_server.url}/uitnodigingen/")
    assert "/uitnodigingen/" in page.url
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=griffier).count() == 1
