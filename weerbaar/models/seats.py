from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..constants import Position, SeatSource


class SeatCount(models.Model):
    """How many seats or posts of ``position`` an organisation has: the denominator the
    monitor divides by where the portal does not know every office holder. Loaded from the
    reference file (``load_seats``) or entered by the organisation on its profile; an
    organisation's own number is never overwritten by a reload."""

    organisation = models.ForeignKey(
        "weerbaar.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="seat_counts",
    )
    position = models.CharField(_("functie"), max_length=20, choices=Position.choices)
    seats = models.PositiveSmallIntegerField(_("aantal zetels"))
    source = models.CharField(_("herkomst"), max_length=16, choices=SeatSource.choices)
    source_note = models.CharField(_("bron"), max_length=300, blank=True)
    reference_date = models.DateField(_("peildatum"))
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bijgewerkt door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("aantal zetels")
        verbose_name_plural = _("aantallen zetels")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "position"], name="seat_count_once_per_position"
            ),
            models.CheckConstraint(condition=models.Q(seats__gt=0), name="seat_count_positive"),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.seats} × {self.get_position_display()}"
