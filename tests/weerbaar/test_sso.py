"""Single sign-on: whom a token signs in (weerbaar/sso/rules.py), when it stands for the
second factor, how the ID token is checked (weerbaar/sso/provider.py, against a JWKS served
on loopback), the beheerder's configuration (admin, audited, secret encrypted) and logout
with the offer to log out at the provider (against the real oidc-provider on loopback)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialAccount, SocialLogin
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import RequestFactory

from tests.factories import make_user
from tests.oidc.server import running_provider
from weerbaar import memberships
from weerbaar.constants import AuditAction, Role
from weerbaar.models import AuditEvent, IdentityProvider, User
from weerbaar.sso.adapter import SESSION_SSO
from weerbaar.sso.provider import NONCE_KEY, IDTokenError, PortalOIDCAdapter
from weerbaar.sso.rules import Refusal, match_user, proves_mfa

pytestmark = pytest.mark.django_db

SECRET = "client-secret-that-must-never-show-0123"


@pytest.fixture
def utrecht_idp(gemeente_a):
    provider = IdentityProvider.objects.create(
        name="Gemeente Utrecht",
        slug="utrecht",
        server_url="https://login.example.org/utrecht/v2.0",
        client_id="portal",
        client_secret=SECRET,
        email_domains="utrecht.nl\n@Utrecht-Regio.NL",
    )
    provider.organisations.add(gemeente_a)
    return provider


def claims(email="rita@utrecht.nl", verified=True, **extra):
    return {"sub": "abc", "email": email, "email_verified": verified, **extra}


# --- whom a token signs in --------------------------------------------------------------------


def test_verified_address_of_an_allowed_domain_signs_in_the_member_of_the_bound_gemeente(
    utrecht_idp, gemeente_a
):
    user = make_user(Role.OFFICE_HOLDER, gemeente_a, email="rita@utrecht.nl")
    assert match_user(utrecht_idp, claims("Rita@UTRECHT.nl")) == user
    other = make_user(Role.GRIFFIER, gemeente_a, email="gerda@utrecht-regio.nl")
    assert match_user(utrecht_idp, claims("gerda@utrecht-regio.nl", verified="true")) == other


@pytest.mark.parametrize("verified", [False, "false", None, "yes"])
def test_an_address_the_provider_did_not_verify_signs_in_nobody(utrecht_idp, gemeente_a, verified):
    make_user(Role.OFFICE_HOLDER, gemeente_a, email="rita@utrecht.nl")
    with pytest.raises(Refusal) as refused:
        match_user(utrecht_idp, claims(verified=verified))
    assert refused.value.code == "unverified_email"


@pytest.mark.parametrize(
    "email", ["rita@amersfoort.nl", "rita@sub.utrecht.nl", "rita@utrecht.nl.evil.example"]
)
def test_an_address_of_another_domain_signs_in_nobody_even_with_an_account(
    utrecht_idp, gemeente_a, email
):
    make_user(Role.OFFICE_HOLDER, gemeente_a, email=email)
    with pytest.raises(Refusal) as refused:
        match_user(utrecht_idp, claims(email))
    assert refused.value.code == "foreign_domain"


def test_unknown_deactivated_and_roleless_accounts_get_one_and_the_same_refusal(
    utrecht_idp, gemeente_a, gemeente_b
):
    inactive = make_user(Role.OFFICE_HOLDER, gemeente_a, email="oud@utrecht.nl")
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    elsewhere = make_user(Role.OFFICE_HOLDER, gemeente_b, email="elders@utrecht.nl")
    outcomes = {}
    for email in ["niemand@utrecht.nl", "oud@utrecht.nl", "elders@utrecht.nl"]:
        with pytest.raises(Refusal) as refused:
            match_user(utrecht_idp, claims(email))
        outcomes[email] = (refused.value.code, refused.value.reason, refused.value.user)
    assert outcomes == {
        "niemand@utrecht.nl": ("no_account", "unknown_account", None),
        "oud@utrecht.nl": ("no_account", "inactive", inactive),
        "elders@utrecht.nl": ("no_account", "no_membership", elsewhere),
    }


def test_an_ended_membership_no_longer_lets_sso_sign_in(utrecht_idp, gemeente_a):
    user = make_user(Role.OFFICE_HOLDER, gemeente_a, email="rita@utrecht.nl")
    membership = user.memberships.get()
    memberships.end(membership=membership, actor=None, reason="test", former=False)
    with pytest.raises(Refusal) as refused:
        match_user(utrecht_idp, claims())
    assert refused.value.reason == "no_membership"


def test_a_national_provider_signs_in_a_member_of_its_national_organisation(bzk):
    national = IdentityProvider.objects.create(
        name="Rijksoverheid",
        slug="rijk",
        server_url="https://login.rijksoverheid.example",
        client_id="portal",
        client_secret=SECRET,
        email_domains="minbzk.nl",
    )
    national.organisations.add(bzk)
    user = make_user(Role.FUNCTIONEEL_BEHEERDER, bzk, email="beheer@minbzk.nl")
    assert match_user(national, claims("beheer@minbzk.nl")) == user


# --- the provider's second factor ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("trusted", "token", "proved"),
    [
        (False, {"amr": ["pwd", "mfa"]}, False),
        (True, {"amr": ["pwd", "mfa"]}, True),
        (True, {"amr": ["hwk"]}, True),
        (True, {"amr": ["pwd"]}, False),
        (True, {"amr": "mfa"}, False),
        (True, {}, False),
        (True, {"acr": "urn:example:loa:substantieel"}, True),
        (True, {"acr": "urn:example:loa:laag"}, False),
    ],
)
def test_the_token_stands_for_the_second_factor_only_from_a_trusted_provider_that_proves_it(
    utrecht_idp, trusted, token, proved
):
    utrecht_idp.trusted_for_mfa = trusted
    utrecht_idp.accepted_acr = "urn:example:loa:substantieel"
    assert proves_mfa(utrecht_idp, token) is proved


# --- the configuration -----------------------------------------------------------------------


def test_configuration_mistakes_are_refused_in_dutch(gemeente_a):
    provider = IdentityProvider(
        name="X",
        slug="openid_connect",
        server_url="http://login.example.org",
        client_id="c",
        client_secret="s",
        email_domains="niet een domein",
        trusted_for_mfa=True,
        accepted_amr="",
    )
    with pytest.raises(Exception) as refused:
        provider.full_clean()
    errors = refused.value.message_dict
    assert set(errors) == {"slug", "server_url", "email_domains", "accepted_amr"}
    assert "https://" in errors["server_url"][0]


def test_the_client_secret_is_stored_encrypted_and_apps_come_from_active_providers(
    utrecht_idp, gemeente_a
):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT client_secret FROM {IdentityProvider._meta.db_table} WHERE id = %s",
            [utrecht_idp.pk],
        )
        stored = cursor.fetchone()[0]
    assert SECRET not in stored
    IdentityProvider.objects.create(
        name="Uit",
        slug="uit",
        server_url="https://uit.example.org",
        client_id="c",
        client_secret="s",
        email_domains="uit.nl",
        is_active=False,
    )
    apps = get_adapter().list_apps(None)
    assert [(a.provider, a.provider_id, a.secret) for a in apps] == [
        ("openid_connect", "utrecht", SECRET)
    ]
    assert apps[0].settings["oauth_pkce_enabled"] is True


def test_beheerder_adds_a_provider_in_the_admin_and_the_change_is_audited_without_secret(
    bzk, gemeente_a, user_factory, client_for
):
    beheerder = user_factory(Role.FUNCTIONEEL_BEHEERDER, bzk, is_staff=True, is_superuser=True)
    client = client_for(beheerder)
    form = {
        "name": "Gemeente Utrecht",
        "slug": "utrecht",
        "is_active": "on",
        "server_url": "https://login.example.org/utrecht",
        "client_id": "portal",
        "client_secret": SECRET,
        "organisations": [gemeente_a.pk],
        "email_domains": "utrecht.nl",
        "accepted_amr": "mfa",
        "accepted_acr": "",
    }
    response = client.post("/beheer/weerbaar/identityprovider/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    provider = IdentityProvider.objects.get(slug="utrecht")
    assert provider.client_secret == SECRET
    created = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(provider.pk))
    assert "client_secret" in created.detail["fields"]
    assert SECRET not in json.dumps(created.detail)

    page = client.get(f"/beheer/weerbaar/identityprovider/{provider.pk}/change/")
    assert SECRET not in page.content.decode()
    # Leaving the secret empty keeps it; the change is audited with the changed fields only.
    response = client.post(
        f"/beheer/weerbaar/identityprovider/{provider.pk}/change/",
        {**form, "client_secret": "", "trusted_for_mfa": "on"},
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.client_secret == SECRET and provider.trusted_for_mfa
    changed = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id=str(provider.pk))
    assert changed.detail["fields"] == ["trusted_for_mfa"]
    assert (
        client.post(f"/beheer/weerbaar/identityprovider/{provider.pk}/delete/").status_code == 403
    )


# --- the ID token ----------------------------------------------------------------------------


def _rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def signing_key():
    return _rsa_key()


@pytest.fixture(scope="module")
def jwks_url(signing_key):
    """A JWKS endpoint on loopback publishing ``signing_key`` as kid "k1"."""
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(signing_key.public_key()))
    body = json.dumps({"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/jwks"
    server.shutdown()


ISSUER = "https://login.example.org/utrecht/v2.0"


@pytest.fixture
def check(utrecht_idp, jwks_url):
    """``check(token)``: the portal's ID-token check for a login whose nonce is "n-1"."""
    app = get_adapter().list_apps(None, provider="utrecht")[0]
    adapter = PortalOIDCAdapter(RequestFactory().get("/"), "utrecht")
    adapter._openid_config = {"issuer": ISSUER, "jwks_uri": jwks_url}
    adapter.state = {NONCE_KEY: "n-1"}
    return lambda token: adapter.verify_id_token(app, token)


def token(key, *, alg="RS256", kid="k1", **overrides):
    now = int(time.time())
    payload = {"iss": ISSUER, "aud": "portal", "sub": "abc", "iat": now, "exp": now + 300}
    payload.update({"nonce": "n-1", **overrides})
    payload = {k: v for k, v in payload.items() if v is not None}
    return jwt.encode(payload, key, algorithm=alg, headers={"kid": kid})


def test_a_well_signed_token_for_this_login_passes(check, signing_key):
    assert check(token(signing_key, amr=["mfa"]))["amr"] == ["mfa"]


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda key: token(_rsa_key()), "bad_signature"),
        (lambda key: token(key, nonce="n-2"), "nonce_mismatch"),
        (lambda key: token(key, nonce=None), "nonce_mismatch"),
        (lambda key: token(key, aud="another-client"), "invalid_id_token"),
        (lambda key: token(key, iss="https://evil.example"), "invalid_id_token"),
        (lambda key: token(key, exp=int(time.time()) - 3600), "invalid_id_token"),
        (lambda key: token(key, kid="k9"), "unknown_key"),
        (
            lambda key: token("a-shared-secret-of-32-bytes-long!", alg="HS256"),
            "algorithm_not_allowed",
        ),
        (lambda key: token(key, aud=["portal", "other"]), "azp_mismatch"),
    ],
    ids=[
        "bad-signature",
        "other-nonce",
        "no-nonce",
        "other-aud",
        "other-iss",
        "expired",
        "unknown-kid",
        "hs256",
        "azp",
    ],
)
def test_an_id_token_that_is_not_for_this_login_is_refused(check, signing_key, make, reason):
    with pytest.raises(IDTokenError) as refused:
        check(make(signing_key))
    assert refused.value.reason == reason


def test_an_unsigned_token_is_refused(check):
    unsigned = jwt.encode({"iss": ISSUER, "aud": "portal", "sub": "abc"}, None, algorithm="none")
    with pytest.raises(IDTokenError) as refused:
        check(unsigned)
    assert refused.value.reason == "algorithm_not_allowed"


# --- logout ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_logout_after_sso_offers_the_providers_end_session_with_the_id_token_hint(
    gemeente_a, client_for
):
    user = make_user(Role.OFFICE_HOLDER, gemeente_a, email="rita@utrecht.nl")
    with running_provider(clients=[], accounts={}) as issuer:
        provider = IdentityProvider.objects.create(
            name="Gemeente Utrecht",
            slug="utrecht",
            server_url=issuer,
            client_id="portal",
            client_secret=SECRET,
            email_domains="utrecht.nl",
        )
        provider.organisations.add(gemeente_a)
        client = client_for(user, mfa=False)
        session = client.session
        session[SESSION_SSO] = {"provider": "utrecht", "id_token": "the.id.token"}
        session.save()

        response = client.post("/accounts/logout/")
        assert response.status_code == 302 and response["Location"] == "/accounts/uitgelogd/"
        page = client.get("/accounts/uitgelogd/")
        html = page.content.decode()
        assert f'action="{issuer}/session/end"' in html
        assert 'name="id_token_hint" value="the.id.token"' in html
        assert 'name="post_logout_redirect_uri" value="http://testserver/accounts/login/"' in html
        assert issuer in page["Content-Security-Policy"]
        assert client.get("/").status_code == 302  # the portal session has ended
        # Offered once: the token does not stay in the anonymous session.
        assert client.get("/accounts/uitgelogd/")["Location"] == "/accounts/login/"
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=user).count() == 1


def test_logout_without_sso_is_allauths_own(gemeente_a, client_for):
    user = make_user(Role.OFFICE_HOLDER, gemeente_a)
    response = client_for(user, mfa=False).post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] != "/accounts/uitgelogd/"


def test_the_login_page_shows_a_button_per_active_provider_and_allows_posting_to_it(
    utrecht_idp, client
):
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert "Inloggen met Gemeente Utrecht" in html
    assert 'action="/accounts/oidc/utrecht/login/?process=login"' in html
    assert "https://login.example.org" in response["Content-Security-Policy"]
    utrecht_idp.is_active = False
    utrecht_idp.save()
    assert "Inloggen met Gemeente Utrecht" not in client.get("/accounts/login/").content.decode()


def test_starting_a_login_by_get_does_not_leave_for_the_provider(utrecht_idp, client):
    response = client.get("/accounts/oidc/utrecht/login/?process=login")
    assert response.status_code == 200  # allauth's confirmation page, no redirect


def test_an_unreachable_provider_gives_a_dutch_message_not_a_server_error(gemeente_a, client):
    provider = IdentityProvider.objects.create(
        name="Gemeente Utrecht",
        slug="utrecht",
        server_url="http://127.0.0.1:9",  # nothing listens on the discard port
        client_id="portal",
        client_secret=SECRET,
        email_domains="utrecht.nl",
    )
    provider.organisations.add(gemeente_a)
    response = client.post("/accounts/oidc/utrecht/login/?process=login", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert "Inloggen via Gemeente Utrecht is mislukt." in response.content.decode()
    refused = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert refused.detail == {"method": "sso", "provider": "utrecht", "reason": "ConnectionError"}


# --- the adapter's decision on a completed provider login ---------------------------------------


def _request_with_session():
    request = RequestFactory().get("/accounts/oidc/utrecht/login/callback/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request.user = AnonymousUser()
    return request


def _sociallogin(process="login", email="rita@utrecht.nl"):
    sociallogin = SocialLogin(
        account=SocialAccount(
            provider="utrecht", uid="abc", extra_data={"id_token": claims(email)}
        ),
        user=User(email=email),
    )
    sociallogin.state = {"process": process}
    sociallogin.raw_id_token = "raw.id.token"
    return sociallogin


def test_a_matching_login_signs_in_the_account_and_keeps_the_hint_for_logout(
    utrecht_idp, gemeente_a
):
    user = make_user(Role.OFFICE_HOLDER, gemeente_a, email="rita@utrecht.nl")
    request, sociallogin = _request_with_session(), _sociallogin()
    get_adapter().pre_social_login(request, sociallogin)
    assert sociallogin.user == user and sociallogin.is_existing
    assert request.session[SESSION_SSO] == {"provider": "utrecht", "id_token": "raw.id.token"}
    assert not SocialAccount.objects.exists()  # nothing linked, nothing created


@pytest.mark.parametrize("process", ["connect", "redirect"])
def test_a_forged_connect_or_redirect_process_is_refused(utrecht_idp, gemeente_a, process):
    make_user(Role.OFFICE_HOLDER, gemeente_a, email="rita@utrecht.nl")
    request = _request_with_session()
    with pytest.raises(ImmediateHttpResponse) as refused:
        get_adapter().pre_social_login(request, _sociallogin(process))
    assert refused.value.response["Location"] == "/accounts/login/"
    line = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert line.detail["reason"] == "not_a_login"
    assert SESSION_SSO not in request.session


def test_a_provider_account_linked_to_someone_else_signs_in_nobody(utrecht_idp, gemeente_a):
    make_user(Role.OFFICE_HOLDER, gemeente_a, email="rita@utrecht.nl")
    other = make_user(Role.OFFICE_HOLDER, gemeente_a, email="otto@utrecht.nl")
    sociallogin = _sociallogin()
    sociallogin.user = other  # as allauth's lookup finds a SocialAccount row of another user
    with pytest.raises(ImmediateHttpResponse):
        get_adapter().pre_social_login(_request_with_session(), sociallogin)
    line = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert line.detail["reason"] == "linked_elsewhere"
