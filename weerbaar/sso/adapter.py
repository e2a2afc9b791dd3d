"""allauth's social account adapter for the portal (``SOCIALACCOUNT_ADAPTER``).

- ``list_apps``: one allauth ``SocialApp`` (unsaved) per active ``IdentityProvider``, so the
  beheerder configures a provider in one place and the client secret stays encrypted.
- ``pre_social_login``: the rules of ``weerbaar.sso.rules``. A match signs in the existing
  account without linking a ``SocialAccount`` row: the next login is matched on the
  verified address again, so changing someone's address or ending their role in the portal
  takes effect at once, and no copy of the token's claims is kept with the account.
- every refusal, and every protocol failure allauth reports (a replayed or unknown state,
  a bad signature, an error from the provider), is audited as ``LOGIN_FAILED`` with a code
  and the provider's slug, never the address or a token, and sends the person back to the
  login page with a Dutch message."""

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.base import AuthProcess
from allauth.socialaccount.providers.base.constants import AuthError
from django.contrib import messages
from django.shortcuts import redirect

from .. import audit
from ..constants import AuditAction
from ..models import IdentityProvider
from .rules import REFUSALS, Refusal, identity_claims, match_user

__all__ = ["SESSION_SSO", "SocialAccountAdapter", "build_app", "refuse"]

# {"provider": slug, "id_token": raw ID token}: for the offer to log out at the provider.
SESSION_SSO = "weerbaar_sso"
PROVIDER = "openid_connect"


def build_app(identity_provider):
    return SocialApp(
        provider=PROVIDER,
        provider_id=identity_provider.slug,
        name=identity_provider.name,
        client_id=identity_provider.client_id,
        secret=identity_provider.client_secret,
        settings={
            "server_url": identity_provider.server_url,
            "oauth_pkce_enabled": True,
            "scope": ["openid", "email", "profile"],
        },
    )


def refuse(request, code, *, slug, name, reason=None, user=None):
    """Audit the refusal and answer with the login page and ``code``'s message."""
    audit.record(
        AuditAction.LOGIN_FAILED,
        actor=user,
        request=request,
        method="sso",
        provider=slug,
        reason=reason or code,
    )
    messages.error(request, REFUSALS[code].format(provider=name))
    return redirect("account_login")


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        """Accounts come by invitation only, SSO included."""
        return False

    def is_auto_signup_allowed(self, request, sociallogin):
        return False

    def list_apps(self, request, provider=None, client_id=None):
        rows = IdentityProvider.objects.active()
        if provider and provider != PROVIDER:
            rows = rows.filter(slug=provider)
        if client_id:
            rows = rows.filter(client_id=client_id)
        return [build_app(row) for row in rows]

    def pre_social_login(self, request, sociallogin):
        slug = sociallogin.account.provider
        identity_provider = IdentityProvider.objects.active().filter(slug=slug).first()
        name = identity_provider.name if identity_provider else slug
        try:
            if identity_provider is None:
                raise Refusal("failed", reason="inactive_provider")
            if sociallogin.state.get("process") != AuthProcess.LOGIN:
                # No linking of accounts: SSO only signs in.
                raise Refusal("failed", reason="not_a_login")
            user = match_user(identity_provider, identity_claims(sociallogin.account.extra_data))
            if sociallogin.is_existing and sociallogin.user.pk != user.pk:
                raise Refusal("no_account", reason="linked_elsewhere", user=user)
        except Refusal as refusal:
            raise ImmediateHttpResponse(
                refuse(
                    request,
                    refusal.code,
                    slug=slug,
                    name=name,
                    reason=refusal.reason,
                    user=refusal.user,
                )
            ) from None
        sociallogin.user = user
        sociallogin.account.user = user
        raw = getattr(sociallogin, "raw_id_token", None)
        request.session[SESSION_SSO] = {"provider": slug, "id_token": raw}

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        """A failure before ``pre_social_login``: allauth found no state for the callback
        (replayed, expired or forged), the provider answered with an error, or the ID token
        did not pass (``PortalOIDCAdapter``)."""
        extra_context = extra_context or {}
        if error == AuthError.CANCELLED:
            code, reason = "cancelled", "cancelled"
        elif exception is not None:
            code, reason = "failed", getattr(exception, "reason", type(exception).__name__)
        elif extra_context.get("state") is not None:
            code, reason = "failed", "provider_error"
        else:
            code, reason = "expired", "unknown_state"
        slug = provider.app.provider_id if provider and provider.app else ""
        name = provider.app.name if provider and provider.app else ""
        raise ImmediateHttpResponse(refuse(request, code, slug=slug, name=name, reason=reason))
