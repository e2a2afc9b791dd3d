"""ASVS V6: authentication — brute force, password reset and one-time codes.

These go through the real login pages (allauth) and the real cache (Redis in tests), so the
rate limits proven here are the ones production enforces."""

import re

import pyotp
import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.test import Client

from tests.factories import PASSWORD
from weerbaar.constants import Role

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
WRONG = "Verkeerd-wachtwoord-123"
NEW_PASSWORD = "Nieuw-en-lang-wachtwoord-42"


@pytest.fixture
def griffier(gemeente_a, user_factory):
    user = user_factory(Role.GRIFFIER, gemeente_a)
    TOTP.activate(user, SECRET)
    return user


def password_step(client, user, password=PASSWORD):
    client.get("/accounts/login/")
    return client.post("/accounts/login/", {"login": user.email, "password": password})


def errors(response):
    return " ".join(response.context["form"].non_field_errors())


def asks_for_code(response):
    return response.status_code == 302 and response["Location"].startswith(
        "/accounts/2fa/authenticate/"
    )


def test_6_3_1_sixth_password_attempt_in_five_minutes_is_refused_even_when_right(griffier):
    client = Client()
    for _attempt in range(5):
        response = password_step(client, griffier, WRONG)
        assert response.status_code == 200
        assert "niet correct" in errors(response)
    response = password_step(client, griffier, PASSWORD)
    assert response.status_code == 200, "the right password must not get through after 5 misses"
    assert errors(response) == "Te veel inlogpogingen. Probeer het later nogmaals."
    assert "_auth_user_id" not in client.session


def test_6_3_1_limit_is_per_account_and_holds_across_clients(griffier, gemeente_a, user_factory):
    """A new browser (fresh session, no cookies) does not reset the count for the account,
    while another account from the same address still logs in."""
    for _attempt in range(5):
        password_step(Client(), griffier, WRONG)
    assert not asks_for_code(password_step(Client(), griffier, PASSWORD))
    colleague = user_factory(Role.GRIFFIER, gemeente_a)
    TOTP.activate(colleague, SECRET)
    assert asks_for_code(password_step(Client(), colleague, PASSWORD))


def test_6_3_1_mfa_codes_are_rate_limited(griffier):
    client = Client()
    assert asks_for_code(password_step(client, griffier))
    for _attempt in range(5):
        response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
        assert response.status_code == 200
    right = pyotp.TOTP(SECRET).now()
    response = client.post("/accounts/2fa/authenticate/", {"code": right})
    assert response.status_code == 200, "the right code must not get through after 5 misses"
    assert "Te veel" in str(response.context["form"].errors)
    assert client.get("/").status_code == 302


def test_6_4_3_password_reset_does_not_bypass_mfa(griffier):
    client = Client()
    client.post("/accounts/password/reset/", {"email": griffier.email})
    assert len(mail.outbox) == 1
    link = re.search(r"http\S*/accounts/password/reset/key/\S+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path)
    assert response.status_code == 302  # allauth moves the key out of the URL into the session
    form_url = response["Location"]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    # Not logged in by the reset (ACCOUNT_LOGIN_ON_PASSWORD_RESET = False) ...
    assert client.get("/").status_code == 302
    # ... and the new password alone still asks for the second factor.
    griffier.refresh_from_db()
    fresh = Client()
    assert asks_for_code(password_step(fresh, griffier, NEW_PASSWORD))
    assert fresh.get("/berichten/").status_code == 302
    assert griffier.authenticator_set.filter(type="totp").exists()


def test_6_5_1_a_totp_code_works_only_once(griffier):
    code = pyotp.TOTP(SECRET).now()
    first = Client()
    password_step(first, griffier)
    assert first.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    assert first.get("/").status_code == 200
    second = Client()
    password_step(second, griffier)
    response = second.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 200
    assert second.get("/").status_code == 302


def test_6_5_1_a_recovery_code_works_only_once(griffier):
    codes = RecoveryCodes.activate(griffier).get_unused_codes()
    assert len(codes) == 10
    first = Client()
    password_step(first, griffier)
    assert first.post("/accounts/2fa/authenticate/", {"code": codes[0]}).status_code == 302
    assert first.get("/").status_code == 200
    second = Client()
    password_step(second, griffier)
    assert second.post("/accounts/2fa/authenticate/", {"code": codes[0]}).status_code == 200
    assert second.get("/").status_code == 302
    # The other codes are still good, one by one.
    assert second.post("/accounts/2fa/authenticate/", {"code": codes[1]}).status_code == 302
    authenticator = griffier.authenticator_set.get(type="recovery_codes")
    assert len(RecoveryCodes(authenticator).get_unused_codes()) == 8
