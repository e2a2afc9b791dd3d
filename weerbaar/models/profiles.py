from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..constants import PoliceUnit
from ..fields import EncryptedBinaryField, EncryptedTextField


class OrganisationProfile(models.Model):
    """What an organisation supplies about itself for its documents and contacts: its
    addresses (the visiting address is the domicile in an aangifte, ELA), the griffie's or
    secretariaat's phone and mailbox, and its contacts for the police and the OTWB.

    The names, phones and emails of contact persons are personal data and encrypted; the
    addresses, phone and mailbox of the organisation itself are public and stay plain.
    ``from_reference`` names the fields whose value ``load_organisations`` filled from public
    reference data; a value the organisation entered is never in it and never overwritten."""

    organisation = models.OneToOneField(
        "weerbaar.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="profile",
    )
    document_name = models.CharField(_("naam op documenten"), max_length=200, blank=True)
    visit_street = models.CharField(_("straat en huisnummer"), max_length=200, blank=True)
    visit_postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    visit_place = models.CharField(_("plaats"), max_length=100, blank=True)
    postal_street = models.CharField(
        _("straat en huisnummer of postbus"), max_length=200, blank=True
    )
    postal_postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    postal_place = models.CharField(_("plaats"), max_length=100, blank=True)
    phone = models.CharField(_("telefoonnummer griffie / secretariaat"), max_length=30, blank=True)
    email = models.EmailField(_("e-mailadres griffie / secretariaat"), blank=True)
    police_unit = models.CharField(
        _("politie-eenheid"), max_length=32, choices=PoliceUnit.choices, blank=True
    )
    police_district = models.CharField(
        _("politie: basisteam of district"), max_length=200, blank=True
    )
    police_contact_name = EncryptedTextField(_("wijkagent: naam"), blank=True)
    police_contact_phone = EncryptedTextField(_("wijkagent: telefoon"), blank=True)
    police_contact_email = EncryptedTextField(_("wijkagent: e-mail"), blank=True)
    ela_contact_name = EncryptedTextField(_("ELA-contactpersoon: naam"), blank=True)
    ela_contact_phone = EncryptedTextField(_("ELA-contactpersoon: telefoon"), blank=True)
    ela_contact_email = EncryptedTextField(_("ELA-contactpersoon: e-mail"), blank=True)
    otwb_contact_name = EncryptedTextField(_("contactpersoon OTWB: naam"), blank=True)
    otwb_contact_phone = EncryptedTextField(_("contactpersoon OTWB: telefoon"), blank=True)
    otwb_contact_email = EncryptedTextField(_("contactpersoon OTWB: e-mail"), blank=True)
    # Re-encoded by weerbaar.images (no metadata), PNG or JPEG only; kept in the database
    # like attachments, so it shares their encryption, backups and transactions.
    logo = EncryptedBinaryField(_("logo"), null=True, blank=True, editable=False)
    logo_type = models.CharField(_("soort logo"), max_length=20, blank=True, editable=False)
    from_reference = models.JSONField(
        _("uit referentiegegevens"), default=list, blank=True, editable=False
    )
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bijgewerkt door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("organisatieprofiel")
        verbose_name_plural = _("organisatieprofielen")

    def __str__(self):
        return str(self.organisation)

    @property
    def visiting_address_lines(self):
        """The domicile as lines, or () while any part is missing."""
        if not (self.visit_street and self.visit_postcode and self.visit_place):
            return ()
        return (self.visit_street, f"{self.visit_postcode} {self.visit_place}")

    @property
    def postal_address_lines(self):
        if not (self.postal_street and self.postal_postcode and self.postal_place):
            return ()
        return (self.postal_street, f"{self.postal_postcode} {self.postal_place}")
