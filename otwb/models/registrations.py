from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..access import RegistrationQuerySet
from ..constants import RegistrationStatus


class Registration(models.Model):
    """One gemeente's driehoek for a regional session: burgemeester, griffier and
    gemeentesecretaris as three named people (they need not have an account)."""

    session = models.ForeignKey(
        "otwb.Session", on_delete=models.PROTECT, related_name="registrations"
    )
    organisation = models.ForeignKey(
        "weerbaar.Organisation",
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=16, choices=RegistrationStatus.choices)
    burgemeester_name = models.CharField(_("naam burgemeester"), max_length=200)
    burgemeester_email = models.EmailField(_("e-mailadres burgemeester"))
    griffier_name = models.CharField(_("naam griffier"), max_length=200)
    griffier_email = models.EmailField(_("e-mailadres griffier"))
    secretaris_name = models.CharField(_("naam gemeentesecretaris"), max_length=200)
    secretaris_email = models.EmailField(_("e-mailadres gemeentesecretaris"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangemeld door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("aangemeld op"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("van wachtlijst geplaatst op"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("afgemeld op"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "organisation"],
                condition=~Q(status="cancelled"),
                name="registration_one_place_per_gemeente",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"])]

    def __str__(self):
        return f"{self.organisation} – {self.session}"
