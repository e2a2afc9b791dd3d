from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from weerbaar.access import ScopedQuerySet
from weerbaar.fields import EncryptedBinaryField, EncryptedTextField

from ..constants import AangifteFiler, AangifteStatus, AftercareKind, PerpetratorActionKind


class AttachmentQuerySet(ScopedQuerySet):
    def scope_q(self, user):
        """Exactly the attachments of meldingen the user may see."""
        from .melding import Melding

        return models.Q(melding__in=Melding.objects.visible_to(user).values("pk"))


class Attachment(models.Model):
    """An uploaded image (re-encoded, metadata stripped) or PDF, encrypted in the database:
    outside the web root, served only through a permission-checked view."""

    melding = models.ForeignKey(
        "incidents.Melding", on_delete=models.CASCADE, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Encrypted: a file name often says what the file is about ("dreigbrief Jansen.pdf").
    filename = EncryptedTextField(_("bestandsnaam"))
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    data = EncryptedBinaryField()

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.filename


class AftercareAction(models.Model):
    melding = models.ForeignKey(
        "incidents.Melding", on_delete=models.CASCADE, related_name="aftercare"
    )
    kind = models.CharField(_("soort nazorg"), max_length=24, choices=AftercareKind.choices)
    date = models.DateField(_("datum"))
    note = EncryptedTextField(_("toelichting"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date}"


class PerpetratorAction(models.Model):
    melding = models.ForeignKey(
        "incidents.Melding", on_delete=models.CASCADE, related_name="perpetrator_actions"
    )
    kind = models.CharField(_("maatregel"), max_length=24, choices=PerpetratorActionKind.choices)
    date = models.DateField(_("datum"))
    result = EncryptedTextField(_("resultaat"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date}"


class Aangifte(models.Model):
    """The police report per the ELA agreements; domicile is the organisation's address."""

    melding = models.OneToOneField(
        "incidents.Melding", on_delete=models.CASCADE, related_name="aangifte"
    )
    advised = models.BooleanField(_("aangifte geadviseerd"), default=True)
    filer = models.CharField(
        _("aangifte door"),
        max_length=16,
        choices=AangifteFiler.choices,
        default=AangifteFiler.REPORTER,
    )
    filed_on = models.DateField(_("datum aangifte"), null=True, blank=True)
    # Encrypted: with the number anyone can ask the police about the report (and its victim).
    police_unit = EncryptedTextField(_("politie-eenheid"), blank=True)
    registration_number = EncryptedTextField(_("registratienummer"), blank=True)
    vpt_mentioned = models.BooleanField(_("VPT/ELA-status vermeld"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=AangifteStatus.choices, default=AangifteStatus.PREPARED
    )
    status_changed_at = models.DateTimeField(_("status gewijzigd"))
    # Copied from the organisation's profile when the record is made (and while empty):
    # whom the aangifte went to, as it stood then.
    police_contact = EncryptedTextField(_("contact politie"), blank=True)
    ela_contact = EncryptedTextField(_("ELA-contactpersoon"), blank=True)
    police_confirmed_on = models.DateField(_("door de politie bevestigd op"), null=True, blank=True)
    # Set when the status becomes "filed": the triager is reminded from then on until the
    # police's confirmation is recorded (sweeps.remind_aangifte_confirmation).
    confirm_due_at = models.DateTimeField(_("bevestiging politie uiterlijk"), null=True, blank=True)

    class Meta:
        verbose_name = _("aangifte")
        indexes = [
            models.Index(fields=["status", "status_changed_at"]),
            models.Index(
                fields=["status_changed_at"],
                name="aangifte_open_changed",
                condition=~Q(status="closed"),
            ),
            models.Index(
                fields=["confirm_due_at"],
                name="aangifte_unconfirmed",
                condition=Q(status="filed", police_confirmed_on__isnull=True),
            ),
        ]

    def __str__(self):
        return f"Aangifte bij melding {self.melding_id}"
