from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.fields import EncryptedJSONField

from .. import timeline_texts
from ..constants import Status, SweepKind, SweepLevel, TimelineKind


class TimelineEntry(models.Model):
    """What happened to an application, written in the transaction of the change itself.
    A line is a ``code`` from ``veiligwonen.timeline_texts`` with its ``params``, worded
    when shown in the viewer's language; never the content of a message or document. The
    params are encrypted at rest like the incidents' (a measure's name says how a home is
    secured). ``message`` is the stored text of a line from before codes that the
    conversion did not recognise (code ``literal``)."""

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
    code = models.CharField(_("code"), max_length=40)
    params = EncryptedJSONField(_("parameters"))
    message = models.CharField(_("omschrijving"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tijdlijnregel")
        verbose_name_plural = _("tijdlijn")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"

    @property
    def text(self):
        """The line in the active language (the kind's label when there is no text)."""
        return timeline_texts.render(self.code, self.params, self.message) or str(
            self.get_kind_display()
        )


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
