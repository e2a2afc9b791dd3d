from django.db import models
from django.utils.translation import gettext_lazy as _

from ..constants import SweepKind


class SweepRecord(models.Model):
    """That a periodic sweep acted on an object. The unique constraint is what makes a sweep
    act once: a second worker's insert fails and it moves on."""

    object_type = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=24, choices=SweepKind.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("uitgevoerde herinnering")
        verbose_name_plural = _("uitgevoerde herinneringen")
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id", "kind"], name="sweep_once_per_object_kind"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.object_type}#{self.object_id}"
