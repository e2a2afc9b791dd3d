"""allauth's ``openid_connect`` provider, with the ID token always checked in full.

allauth skips the ID token's signature when it fetched the token itself (OpenID Connect
Core 3.1.3.7 allows that over TLS), sends no ``nonce`` and takes the algorithm from the
token's own header. For a portal where one identity provider speaks for a whole gemeente
that is too trusting: here every ID token is checked against the provider's published keys
(JWKS) with an algorithm from a fixed list, for ``iss``, ``aud`` (and ``azp`` when there
are more audiences), ``exp``/``iat`` and a ``nonce`` bound to the login's state; userinfo
counts only for the subject the token names. PKCE (S256) is always on.

``SOCIALACCOUNT_PROVIDERS["openid_connect"]["provider_class"]`` puts ``PortalOIDCProvider``
in allauth's registry; ``views.callback`` is mounted at allauth's callback URL so the
checking adapter handles it."""

import secrets

import jwt
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from requests import RequestException

__all__ = ["IDTokenError", "PortalCallbackView", "PortalOIDCAdapter", "PortalOIDCProvider"]

# Asymmetric only: a shared-secret (HS*) token could be made by anyone holding the secret.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
NONCE_KEY = "weerbaar_nonce"
LEEWAY_SECONDS = 60


class IDTokenError(OAuth2Error):
    """The ID token did not pass; ``reason`` (a fixed code, no token content) goes to the
    audit log."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class PortalOIDCAdapter(OpenIDConnectOAuth2Adapter):
    """Checks the ID token (see the module's docstring). ``state`` is the login's stashed
    state, set by ``PortalCallbackView`` before the code is exchanged."""

    state = None

    def complete_login(self, request, app, token, **kwargs):
        raw = kwargs["response"].get("id_token")
        if not raw:
            raise IDTokenError("missing_id_token")
        id_token = self.verify_id_token(app, raw)
        data = {"id_token": id_token}
        if app.settings.get("fetch_userinfo", True):
            userinfo = self._fetch_user_info(token.token)
            if str(userinfo.get("sub")) != str(id_token["sub"]):
                raise IDTokenError("userinfo_subject_mismatch")
            data["userinfo"] = userinfo
        login = self.get_provider().sociallogin_from_response(request, data)
        # Kept for the logout at the provider (id_token_hint); never stored with the account.
        login.raw_id_token = raw
        return login

    def verify_id_token(self, app, raw):
        config = self.openid_config
        try:
            header = jwt.get_unverified_header(raw)
            algorithm = header.get("alg")
            if algorithm not in ALGORITHMS:
                raise IDTokenError("algorithm_not_allowed")
            key = self._signing_key(config["jwks_uri"], header.get("kid"), algorithm)
            claims = jwt.decode(
                raw,
                key=key,
                algorithms=[algorithm],
                audience=app.client_id,
                issuer=config["issuer"],
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "sub", "exp", "iat"]},
            )
        except IDTokenError:
            raise
        except jwt.InvalidSignatureError as error:
            raise IDTokenError("bad_signature") from error
        except (jwt.PyJWTError, ValueError, KeyError, TypeError) as error:
            raise IDTokenError("invalid_id_token") from error
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != app.client_id:
            raise IDTokenError("azp_mismatch")
        expected = (self.state or {}).get(NONCE_KEY)
        if not expected or not secrets.compare_digest(str(claims.get("nonce", "")), expected):
            raise IDTokenError("nonce_mismatch")
        return claims

    def _signing_key(self, jwks_uri, kid, algorithm):
        with get_adapter().get_requests_session() as session:
            response = session.get(jwks_uri)
            response.raise_for_status()
            keys = response.json().get("keys", [])
        candidates = [k for k in keys if k.get("use", "sig") == "sig" and k.get("kid") == kid]
        if len(candidates) != 1:
            raise IDTokenError("unknown_key")
        jwk = candidates[0]
        if jwk.get("alg", algorithm) != algorithm:
            raise IDTokenError("algorithm_mismatch")
        return jwt.PyJWK(jwk, algorithm=algorithm).key


class PortalOIDCProvider(OpenIDConnectProvider):
    # allauth's URLs and templates of openid_connect stay in use.
    package = "allauth.socialaccount.providers.openid_connect"
    pkce_enabled_default = True

    def get_oauth2_adapter(self, request):
        return PortalOIDCAdapter(request, self.app.provider_id)

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None)
        auth_params = dict(self.get_auth_params() if auth_params is None else auth_params)
        auth_params["nonce"] = nonce
        kwargs[NONCE_KEY] = nonce
        try:
            return super().redirect(
                request, process, next_url, data, auth_params=auth_params, **kwargs
            )
        except RequestException as error:
            # The provider's discovery document could not be read: a Dutch message on the
            # login page (adapter.on_authentication_error), not a server error.
            return render_authentication_error(request, self, exception=error)


class PortalCallbackView(OAuth2CallbackView):
    """allauth's callback, handing the login's state to the adapter (for the nonce)."""

    def _get_state(self, request, provider):
        state, response = super()._get_state(request, provider)
        self.adapter.state = state
        return state, response
