"""An organisation's local protocol (issue 19 §2): per position who receives a melding on
top of the design's route and who is next at escalation, and the short text "Bij wie meldt
u?" it publishes to its own people. What may be chosen is ``incidents.protocol.OPTIONS``;
a melding keeps a snapshot of what was in force when it was sent (``Melding.protocol``),
so these rows may change without moving an old case."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TEXT_MAX = 1000


class LocalProtocol(models.Model):
    organisation = models.OneToOneField(
        "weerbaar.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="local_protocol",
    )
    # Plain text, shown escaped with its line breaks; the English one falls back to Dutch.
    text_nl = models.TextField(_("Bij wie meldt u? (Nederlands)"), max_length=TEXT_MAX, blank=True)
    text_en = models.TextField(_("Bij wie meldt u? (Engels)"), max_length=TEXT_MAX, blank=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("lokaal protocol")
        verbose_name_plural = _("lokale protocollen")

    def __str__(self):
        return str(self.organisation)

    def text_for(self, language):
        """The text in ``language`` ('en…' gives the English one when there is one)."""
        if (language or "").startswith("en") and self.text_en.strip():
            return self.text_en
        return self.text_nl


class ProtocolRoute(models.Model):
    """One position's choice; a position without a row follows the design's default.
    ``receive`` holds the roles added to the design's receivers, ``escalate`` the roles of
    the first escalation step (empty: the design's)."""

    protocol = models.ForeignKey(LocalProtocol, on_delete=models.CASCADE, related_name="routes")
    # A ``weerbaar.constants.Position`` value, or "civil_servant" for the organisation's staff.
    position = models.CharField(_("functie"), max_length=32)
    receive = models.JSONField(_("ontvangt ook"), default=list, blank=True)
    escalate = models.JSONField(_("escalatie naar"), default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["protocol", "position"], name="protocol_route_once")
        ]

    def __str__(self):
        return self.position
