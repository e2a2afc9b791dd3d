from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..constants import Status, SweepKind, SweepLevel, TimelineKind


class TimelineEntry(models.Model):
    """What happened to an application, written in the transaction of the change itself.
    ``message`` is a label, never the sensitive content."""

    application = models.ForeignKey(
        "veiligwonen.Application", on_delete=models.CASCADE, related_name="timeline"
    )
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("soort"), max_length=16, choices=TimelineKind.choices)
    from_status = models.CharField(max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=Status.choices, blank=True)
    message = models.CharField(_("omschrijving"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tijdlijnregel")
        verbose_name_plural = _("tijdlijn")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"


class SweepRecord(models.Model):
    """That a sweep acted on an application at a level. The unique constraint makes the
    sweeps idempotent: a retry or a second worker cannot warn or escalate twice."""

    application = models.ForeignKey(
        "veiligwonen.Application", on_delete=models.CASCADE, related_name="sweep_records"
    )
    kind = models.CharField(max_length=16, choices=SweepKind.choices)
    level = models.CharField(max_length=16, choices=SweepLevel.choices)
    acted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind", "level"], name="vw_sweep_once_per_level"
            )
        ]

    def __str__(self):
        return f"{self.kind}:{self.level} #{self.application_id}"
