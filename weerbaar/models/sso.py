from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..fields import EncryptedTextField

DOMAIN = RegexValidator(
    r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$",
    _("Geef domeinen op als bijvoorbeeld amersfoort.nl, één per regel."),
)

# Plain http only for an identity provider on the same machine (development, the tests).
LOOPBACK = {"localhost", "127.0.0.1", "::1"}


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class IdentityProviderQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class IdentityProvider(models.Model):
    """An organisation's own OpenID Connect identity provider (e.g. a gemeente's Entra ID),
    set up by the functioneel beheerder in the admin.

    It is the only place SSO is configured: ``weerbaar.sso.SocialAccountAdapter`` builds
    allauth's ``SocialApp`` for each active row on the fly, so there are no allauth
    ``SocialApp`` rows to keep in step (and no client secret in plain text in them). The
    ``slug`` is allauth's ``provider_id`` and part of the callback URL the identity provider
    must know. A provider signs in only people of its ``organisations`` whose verified
    address is in one of its ``email_domains``; it never creates an account or a role.

    ``trusted_for_mfa`` lets a staff member skip the portal's own second factor, and only
    when the ID token says the provider did one: its ``amr`` holds one of
    ``accepted_amr`` or its ``acr`` is one of ``accepted_acr``. A provider that does not put
    those claims in its tokens cannot be trusted for MFA, whatever the flag says."""

    name = models.CharField(
        _("naam"), max_length=100, help_text=_("Zoals op de knop: ‘Inloggen met …’.")
    )
    slug = models.SlugField(
        _("kenmerk"),
        max_length=40,
        unique=True,
        help_text=_(
            "Deel van de terugkeer-URL: /accounts/oidc/[kenmerk]/login/callback/. "
            "Wijzig het niet meer nadat de identity provider het kent."
        ),
    )
    server_url = models.URLField(
        _("issuer-URL"),
        help_text=_(
            "De issuer van de identity provider; de portal leest "
            "/.well-known/openid-configuration daaronder."
        ),
    )
    client_id = models.CharField(_("client-ID"), max_length=255)
    client_secret = EncryptedTextField(_("client-secret"))
    organisations = models.ManyToManyField(
        "weerbaar.Organisation",
        verbose_name=_("organisaties"),
        related_name="identity_providers",
        help_text=_("Alleen mensen met een geldige rol in een van deze organisaties."),
    )
    email_domains = models.TextField(
        _("e-maildomeinen"),
        help_text=_("Eén per regel, bijvoorbeeld amersfoort.nl. Subdomeinen tellen niet mee."),
    )
    trusted_for_mfa = models.BooleanField(
        _("vertrouwd voor tweestapsverificatie"),
        default=False,
        help_text=_(
            "Medewerkers die via deze identity provider inloggen en daar aantoonbaar een "
            "tweede factor gebruikten (amr/acr in het ID-token), slaan de tweede stap van "
            "de portal over."
        ),
    )
    accepted_amr = models.TextField(
        _("geaccepteerde amr-waarden"),
        blank=True,
        default="mfa\notp\nhwk",
        help_text=_("Eén per regel. Eén ervan in ‘amr’ van het ID-token is genoeg."),
    )
    accepted_acr = models.TextField(
        _("geaccepteerde acr-waarden"),
        blank=True,
        help_text=_("Eén per regel. ‘acr’ van het ID-token moet er precies één van zijn."),
    )
    is_active = models.BooleanField(_("actief"), default=True)

    objects = IdentityProviderQuerySet.as_manager()

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def domains(self):
        return [line.lower().lstrip("@") for line in _lines(self.email_domains)]

    @property
    def amr_values(self):
        return _lines(self.accepted_amr)

    @property
    def acr_values(self):
        return _lines(self.accepted_acr)

    def clean(self):
        errors = {}
        for domain in self.domains:
            try:
                DOMAIN(domain)
            except ValidationError as error:
                errors["email_domains"] = error
        if self.slug == "openid_connect":
            errors["slug"] = _("Kies een ander kenmerk.")
        url = urlsplit(self.server_url or "")
        if url.scheme != "https" and url.hostname not in LOOPBACK:
            errors["server_url"] = _("De issuer-URL moet met https:// beginnen.")
        if not self.domains:
            errors["email_domains"] = _("Geef ten minste één e-maildomein op.")
        if self.trusted_for_mfa and not (self.amr_values or self.acr_values):
            errors["accepted_amr"] = _(
                "Vertrouwd voor tweestapsverificatie vraagt ten minste één amr- of acr-waarde."
            )
        if errors:
            raise ValidationError(errors)
