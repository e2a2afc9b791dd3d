"""The portal's MFA login stage: allauth's, except after an SSO login whose identity
provider is trusted for MFA and whose ID token proves a second factor (``rules.proves_mfa``).

Then the provider's factor is recorded in the session as an allauth authentication record
(``method="mfa", type="idp"``, with the provider's slug): that record is what
``MFARequiredMiddleware`` looks for, so a staff member signed in this way reaches the
portal without enrolling a factor of their own. The record is only written here, from the
signed token of the login in progress; nothing a browser sends can set it."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.stages import AuthenticateStage as MFAAuthenticateStage

from ..models import IdentityProvider
from .rules import proves_mfa

__all__ = ["AuthenticateStage", "idp_proved_mfa"]


def idp_proved_mfa(login):
    """The trusted provider whose token proved MFA for ``login`` (allauth's ``Login``), or
    None."""
    sociallogin = (login.signal_kwargs or {}).get("sociallogin")
    if sociallogin is None or login.user is None:
        return None
    identity_provider = (
        IdentityProvider.objects.active().filter(slug=sociallogin.account.provider).first()
    )
    id_token = sociallogin.account.extra_data.get("id_token") or {}
    if identity_provider is not None and proves_mfa(identity_provider, id_token):
        return identity_provider
    return None


class AuthenticateStage(MFAAuthenticateStage):
    def handle(self):
        identity_provider = idp_proved_mfa(self.login)
        if identity_provider is not None:
            record_authentication(
                self.request, self.login.user, "mfa", type="idp", provider=identity_provider.slug
            )
            return None, True
        return super().handle()
