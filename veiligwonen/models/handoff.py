from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from weerbaar.fields import EncryptedTextField

from ..constants import RECEIVING_UNITS, HandoffCancelReason


class Handoff(models.Model):
    """The referral of an application to the Stelsel Bewaken en Beveiligen: to which unit,
    whom there, when and under which reference of theirs, and — once they confirmed — who
    at the unit confirmed receipt and when. Until then the application waits in
    ``handoff_pending`` and BZK is reminded (``services.remind_handoff_receipt``); when the
    unit refuses, or the hand-off was recorded in error, BZK takes it back
    (``services.cancel_handoff``).

    The names and the unit's reference are personal data or lead to it: encrypted, and
    emptied with the application's private details when its retention ends."""

    application = models.OneToOneField(
        "veiligwonen.Application",
        verbose_name=_("aanvraag"),
        on_delete=models.CASCADE,
        related_name="handoff",
    )
    unit = models.CharField(_("ontvangende eenheid"), max_length=32, choices=RECEIVING_UNITS)
    contact_person = EncryptedTextField(_("contactpersoon bij de eenheid"))
    handed_over_on = models.DateField(_("datum overdracht"))
    reference = EncryptedTextField(_("kenmerk van de eenheid"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vastgelegd door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"))
    receipt_due_at = models.DateTimeField(_("ontvangst uiterlijk bevestigd"))
    received_by = EncryptedTextField(_("ontvangst bevestigd door"), blank=True)
    received_on = models.DateField(_("ontvangst bevestigd op"), null=True, blank=True)
    receipt_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ontvangst vastgelegd door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    receipt_recorded_at = models.DateTimeField(_("ontvangst vastgelegd op"), null=True, blank=True)
    # Taken back before receipt: the unit refused, or it was recorded in error. The case is
    # BZK's again; a new hand-off later replaces these fields (the timeline and the audit
    # log keep the earlier one).
    cancelled_at = models.DateTimeField(_("teruggenomen op"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teruggenomen door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancel_reason = models.CharField(
        _("reden van terugnemen"), max_length=16, choices=HandoffCancelReason.choices, blank=True
    )
    cancel_note = EncryptedTextField(_("toelichting bij het terugnemen"), blank=True)

    class Meta:
        verbose_name = _("overdracht aan het Stelsel")
        verbose_name_plural = _("overdrachten aan het Stelsel")
        indexes = [
            # The receipt reminder reads only the referrals still unconfirmed.
            models.Index(
                fields=["receipt_due_at"],
                name="vw_handoff_unconfirmed_idx",
                condition=Q(receipt_recorded_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"Overdracht {self.application_id}"

    @property
    def confirmed(self):
        return self.receipt_recorded_at is not None

    @property
    def cancelled(self):
        return self.cancelled_at is not None
