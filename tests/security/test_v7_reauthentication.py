"""ASVS 7.5.1: changing the email address or a second factor asks for the password (or a
code) again unless the user re-authenticated within ACCOUNT_REAUTHENTICATION_TIMEOUT.
The login itself does not count (allauth only counts explicit re-authentication), so a
stolen, still-open session cannot take over the account."""

import time

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings

from tests.factories import PASSWORD
from weerbaar.constants import Role

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def griffier(gemeente_a, user_factory):
    user = user_factory(Role.GRIFFIER, gemeente_a)
    TOTP.activate(user, SECRET)
    RecoveryCodes.activate(user)
    return user


def age_authentication(client, seconds):
    """Move every authentication record of the session ``seconds`` into the past."""
    session = client.session
    for record in session[AUTHENTICATION_METHODS_SESSION_KEY]:
        record["at"] = time.time() - seconds
    session.save()


def asks_to_reauthenticate(response):
    return response.status_code == 302 and "reauthenticate" in response["Location"]


STALE = settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 60

MFA_PAGES = [
    "/accounts/2fa/totp/deactivate/",
    "/accounts/2fa/recovery-codes/generate/",
    "/accounts/2fa/webauthn/add/",
]


def reauthenticate(client):
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("path", MFA_PAGES)
def test_7_5_1_changing_a_second_factor_asks_to_reauthenticate(path, griffier, client_for):
    client = client_for(griffier)
    assert asks_to_reauthenticate(client.get(path)), path
    assert asks_to_reauthenticate(client.post(path, {})), path
    assert griffier.authenticator_set.filter(type="totp").exists()
    reauthenticate(client)
    assert client.get(path).status_code == 200, path
    age_authentication(client, STALE)
    assert asks_to_reauthenticate(client.get(path)), path
    assert griffier.authenticator_set.filter(type="totp").exists()


@pytest.fixture
def raadslid(gemeente_a, user_factory):
    """An office holder without a second factor: the password is all that guards the
    account, so re-authentication is what stops a hijacked session changing its email."""
    return user_factory(Role.OFFICE_HOLDER, gemeente_a)


def add_email(client):
    return client.post("/accounts/email/", {"action_add": "", "email": "nieuw@example.org"})


def test_7_5_1_adding_an_email_address_asks_to_reauthenticate(raadslid, client_for):
    client = client_for(raadslid, mfa=False)
    assert asks_to_reauthenticate(add_email(client))
    assert not EmailAddress.objects.filter(email="nieuw@example.org").exists()


def test_7_5_1_after_reauthenticating_the_change_goes_through_until_it_is_stale(
    raadslid, client_for
):
    client = client_for(raadslid, mfa=False)
    reauthenticate(client)
    assert add_email(client).status_code == 302
    assert EmailAddress.objects.filter(email="nieuw@example.org", verified=False).exists()
    age_authentication(client, STALE)
    response = client.post("/accounts/email/", {"action_remove": "", "email": "nieuw@example.org"})
    assert asks_to_reauthenticate(response)
    assert EmailAddress.objects.filter(email="nieuw@example.org").exists()


def test_7_5_1_an_account_with_mfa_cannot_gain_an_unverified_email(griffier, client_for):
    client = client_for(griffier)
    reauthenticate(client)
    response = add_email(client)
    assert response.status_code == 200
    assert "twee-factor" in str(response.context["form"].errors)
    assert not EmailAddress.objects.filter(email="nieuw@example.org").exists()


def test_7_5_1_changing_the_password_needs_the_current_password(griffier, client_for):
    client = client_for(griffier)
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": "Niet-het-oude-wachtwoord-1",
            "password1": "Een-nieuw-lang-wachtwoord-9",
            "password2": "Een-nieuw-lang-wachtwoord-9",
        },
    )
    assert response.status_code == 200
    assert "oldpassword" in response.context["form"].errors
    griffier.refresh_from_db()
    assert griffier.check_password(PASSWORD)
