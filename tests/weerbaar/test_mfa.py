"""MFA is mandatory for every role except office holders and civil servants."""

import re

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import PASSWORD
from weerbaar.constants import AuditAction, Role
from weerbaar.models import AuditEvent

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
STAFF_ROLES = [
    Role.GRIFFIER,
    Role.SECRETARIS,
    Role.VOORZITTER,
    Role.VERTROUWENSPERSOON,
    Role.OTWB_COORDINATOR,
    Role.VW_INTAKE,
    Role.SECURITY_ADVISER,
    Role.BVA,
    Role.ANALYST,
    Role.FUNCTIONEEL_BEHEERDER,
]
OPEN_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/reauthenticate/",
    "/accounts/logout/",
    "/static/",
    "/i18n/",
)


def walk(patterns, prefix=""):
    """Every URL of the portal as a concrete path (converters filled with sample values)."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            route = re.sub(r"<(?:int:)?[\w]*(?:pk|id)>", "1", route)
            route = re.sub(r"<int:\w+>", "1", route)
            route = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000001", route)
            route = re.sub(r"<(?:str|slug|path):\w+>|<\w+>", "x", route)
            route = route.lstrip("^").rstrip("$").replace("\\Z", "")
            if re.search(r"[()\[\]?*+\\]", route):
                continue  # a regex route that is not a plain path (admin internals)
            yield "/" + route


@pytest.fixture
def all_paths():
    paths = sorted(set(walk(get_resolver().url_patterns)))
    assert len(paths) > 40
    return paths


def login_with_password(user):
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    return client, response


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_role_without_authenticator_is_sent_to_enrolment_from_every_url(
    role, organisations, gemeente_a, bzk, user_factory, client_for, all_paths
):
    org = (
        bzk
        if role in {Role.VW_INTAKE, Role.BVA, Role.ANALYST, Role.FUNCTIONEEL_BEHEERDER}
        else gemeente_a
    )
    user = user_factory(role, org)
    client = client_for(user, mfa=False)
    for path in all_paths:
        if path.startswith(OPEN_PREFIXES) or path in {"/health/"}:
            continue
        response = client.get(path)
        if path.startswith(("/uitnodiging/", "/toegankelijkheid/", "/privacy/")):
            # Public pages: they show nothing of anyone's cases.
            continue
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/2fa/totp/activate/"), path


def test_griffier_with_authenticator_must_pass_it_before_any_page(
    gemeente_a, user_factory, all_paths
):
    user = user_factory(Role.GRIFFIER, gemeente_a)
    TOTP.activate(user, SECRET)
    client, response = login_with_password(user)
    # Password alone is not enough: allauth asks for the code.
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    for path in ["/", "/berichten/", "/uitnodigingen/", "/beheer/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert "login/" in response["Location"], path
    response = client.post("/accounts/2fa/authenticate/", {"code": pyotp.TOTP(SECRET).now()})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_enrolment_passes_the_factor_for_the_session(gemeente_a, user_factory):
    user = user_factory(Role.SECRETARIS, gemeente_a)
    client, response = login_with_password(user)
    assert response["Location"].startswith("/accounts/2fa/totp/activate/") or (
        client.get("/")["Location"].startswith("/accounts/2fa/totp/activate/")
    )
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 200
    secret = response.context["form"].secret
    # Real transactions here: allauth announces the new authenticator on commit.
    response = client.post("/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(actor=user, action=AuditAction.MFA_ADDED).exists()


@pytest.mark.parametrize("role", [Role.OFFICE_HOLDER, Role.CIVIL_SERVANT])
def test_reporters_are_offered_but_not_forced_to_use_mfa(role, gemeente_a, user_factory):
    user = user_factory(role, gemeente_a)
    client, response = login_with_password(user)
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_office_holder_who_is_also_voorzitter_needs_mfa(gemeente_a, user_factory, client_for):
    from tests.factories import MembershipFactory

    user = user_factory(Role.OFFICE_HOLDER, gemeente_a, position="burgemeester")
    MembershipFactory(user=user, organisation=gemeente_a, role=Role.VOORZITTER)
    user.__dict__.pop("active_memberships", None)
    client = client_for(user, mfa=False)
    assert client.get("/")["Location"].startswith("/accounts/2fa/totp/activate/")


def test_admin_login_goes_through_allauth_and_mfa(bzk, user_factory, client_for):
    user = user_factory(Role.FUNCTIONEEL_BEHEERDER, bzk, is_staff=True, is_superuser=True)
    anonymous = Client().get("/beheer/")
    assert anonymous.status_code == 302
    assert "login/" in anonymous["Location"]
    no_mfa = client_for(user, mfa=False).get("/beheer/")
    assert no_mfa["Location"].startswith("/accounts/2fa/")
    assert client_for(user).get("/beheer/").status_code == 200


def test_missing_second_factor_is_audited_once_per_session(gemeente_a, user_factory, client_for):
    user = user_factory(Role.GRIFFIER, gemeente_a)
    client = client_for(user, mfa=False)
    client.get("/")
    client.get("/berichten/")
    assert AuditEvent.objects.filter(actor=user, action=AuditAction.MFA_REQUIRED).count() == 1
