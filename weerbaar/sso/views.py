"""The pages around SSO: allauth's login page with a form-action for the identity
providers, allauth's callback with the checking adapter, and logout with an offer to log
out at the identity provider too (RP-initiated logout).

The login page's Content-Security-Policy allows forms to post only to the portal itself;
the "Inloggen met …" button posts to the portal, which answers with a redirect to the
provider, and Chromium checks form-action on that redirect too. So the login page adds the
origins of the active providers' issuers (their authorisation endpoints live there; for
Entra ID login.microsoftonline.com). Likewise the logged-out page adds the origin of the
one provider's end-session endpoint it posts to."""

from urllib.parse import urlsplit

from allauth.account.views import LoginView, LogoutView
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from requests import RequestException

from ..models import IdentityProvider
from .adapter import SESSION_SSO
from .provider import PortalCallbackView, PortalOIDCAdapter

__all__ = ["callback", "logged_out", "login", "logout"]

SESSION_SSO_LOGOUT = "weerbaar_sso_logout"


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def login(request):
    response = LoginView.as_view()(request)
    origins = sorted({_origin(idp.server_url) for idp in IdentityProvider.objects.active()})
    if origins:
        response._csp_update = {"form-action": origins}
    return response


def callback(request, provider_id):
    try:
        view = PortalCallbackView.adapter_view(PortalOIDCAdapter(request, provider_id))
        return view(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


def logout(request):
    """allauth's logout; after an SSO login, then the offer to log out at the provider."""
    sso = None
    if request.method == "POST" and request.user.is_authenticated:
        sso = request.session.get(SESSION_SSO)
    response = LogoutView.as_view()(request)
    if sso and sso.get("id_token") and response.status_code == 302:
        request.session[SESSION_SSO_LOGOUT] = sso
        return redirect("sso_logged_out")
    return response


def logged_out(request):
    """Shown once after logging out of an SSO session, when the provider has an
    end_session_endpoint: a button that sends the browser there with the id_token_hint,
    client_id and post_logout_redirect_uri (the login page). A GET form: every provider
    supports GET there, not every one POST. The hint then is in the URL of the provider
    that issued it, and in no URL or log of the portal (this page is not cached)."""
    sso = request.session.pop(SESSION_SSO_LOGOUT, None)
    if not sso or request.user.is_authenticated:
        return redirect("account_login")
    identity_provider = IdentityProvider.objects.active().filter(slug=sso["provider"]).first()
    end_session = None
    if identity_provider is not None:
        provider = get_adapter().get_provider(request, provider=identity_provider.slug)
        try:
            end_session = provider.get_oauth2_adapter(request).openid_config.get(
                "end_session_endpoint"
            )
        except (RequestException, ValueError):
            end_session = None
    if not end_session:
        return redirect("account_login")
    response = render(
        request,
        "account/sso_logged_out.html",
        {
            "identity_provider": identity_provider,
            "end_session_endpoint": end_session,
            "id_token_hint": sso["id_token"],
            "client_id": identity_provider.client_id,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("account_login")),
        },
    )
    response._csp_update = {"form-action": [_origin(end_session)]}
    return response
