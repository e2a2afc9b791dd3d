"""Who an SSO login may sign in, and whether its token proves a second factor.

Kept apart from allauth so the rules read (and are tested) on their own: the input is an
``IdentityProvider`` and the claims of a verified ID token, the output a user or a
``Refusal``."""

from django.utils.translation import gettext_lazy as _

from ..models import Membership, User

__all__ = ["REFUSALS", "Refusal", "identity_claims", "match_user", "proves_mfa"]

# One message per thing the person can act on. Whether an account exists, is deactivated or
# holds no role in the provider's organisations is told with one and the same message: the
# page must not tell a stranger which addresses have an account.
REFUSALS = {
    "unverified_email": _(
        "Uw organisatie heeft uw e-mailadres niet als geverifieerd doorgegeven. Zo kunt u "
        "niet inloggen; neem contact op met de ICT-afdeling van uw organisatie."
    ),
    "foreign_domain": _(
        "Met een e-mailadres van dit domein kunt u niet inloggen via {provider}. Kies de "
        "inlogknop van uw eigen organisatie of log in met uw wachtwoord."
    ),
    "no_account": _(
        "Via {provider} kunt u niet inloggen in de portal: er is geen account met een "
        "geldige rol bij deze organisatie voor u. Accounts komen op uitnodiging van de "
        "griffie of het secretariaat van uw organisatie."
    ),
    "failed": _("Inloggen via {provider} is mislukt. Probeer het opnieuw."),
    "expired": _("Deze inlogpoging is verlopen of al gebruikt. Begin opnieuw met de inlogknop."),
    "cancelled": _("Het inloggen via {provider} is afgebroken."),
}


class Refusal(Exception):
    """An SSO login that may not go on. ``code`` is a key of ``REFUSALS`` (what the person
    reads), ``reason`` the precise cause for the audit log, ``user`` the matched account
    when there was one (the audit line's actor)."""

    def __init__(self, code, reason=None, user=None):
        super().__init__(code)
        self.code = code
        self.reason = reason or code
        self.user = user


def identity_claims(extra_data):
    """The claims to decide on: the verified ID token's, completed with userinfo's only for
    what the token leaves out (``PortalOIDCAdapter`` checked that both name one subject)."""
    id_token = extra_data.get("id_token") or {}
    userinfo = extra_data.get("userinfo") or {}
    return {**userinfo, **id_token}


def _is_true(value):
    return value is True or (isinstance(value, str) and value.lower() == "true")


def match_user(identity_provider, claims):
    """The active account the claims sign in, or ``Refusal``. The address must be verified
    by the provider and of one of its domains, the account active and in force in one of
    its organisations; nothing is created."""
    email = (claims.get("email") or "").strip()
    if not email or "@" not in email or not _is_true(claims.get("email_verified")):
        raise Refusal("unverified_email")
    if email.rpartition("@")[2].lower() not in identity_provider.domains:
        raise Refusal("foreign_domain")
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        raise Refusal("no_account", reason="unknown_account")
    if not user.is_active:
        raise Refusal("no_account", reason="inactive", user=user)
    in_force = Membership.objects.in_force_for(user.pk).filter(
        organisation__in=identity_provider.organisations.all()
    )
    if not in_force.exists():
        raise Refusal("no_account", reason="no_membership", user=user)
    return user


def proves_mfa(identity_provider, id_token):
    """True when the provider is trusted for MFA and its (verified) ID token says a second
    factor was used: one of the accepted ``amr`` values, or an accepted ``acr``. Claims
    from userinfo do not count: only the signed token speaks for how the user logged in."""
    if not identity_provider.trusted_for_mfa:
        return False
    amr = id_token.get("amr")
    if isinstance(amr, list) and set(identity_provider.amr_values) & {str(v) for v in amr}:
        return True
    acr = id_token.get("acr")
    return isinstance(acr, str) and acr in identity_provider.acr_values
