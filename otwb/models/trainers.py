from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..access import TrainerQuerySet
from ..constants import TrainerKind, TrainerOrigin, Weekday


class Trainer(models.Model):
    """A vertrouwenspersoon or expert in the pool. Linked to an account when they log in;
    the personal agenda feed is reached with a secret token of which only the hash is kept."""

    name = models.CharField(_("naam"), max_length=200)
    email = models.EmailField(_("e-mailadres"), blank=True)
    kind = models.CharField(_("soort"), max_length=20, choices=TrainerKind.choices)
    origin = models.CharField(_("afkomstig van"), max_length=16, choices=TrainerOrigin.choices)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="otwb_trainer",
    )
    is_active = models.BooleanField(_("actief"), default=True)
    feed_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    feed_token_created_at = models.DateTimeField(null=True, blank=True)

    objects = TrainerQuerySet.as_manager()

    class Meta:
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")
        ordering = ["name"]

    def __str__(self):
        return self.name


class WeeklyAvailability(models.Model):
    """A recurring weekly window in which the trainer can be asked."""

    trainer = models.ForeignKey(Trainer, on_delete=models.CASCADE, related_name="weekly")
    weekday = models.PositiveSmallIntegerField(_("dag"), choices=Weekday.choices)
    start_time = models.TimeField(_("van"))
    end_time = models.TimeField(_("tot"))

    class Meta:
        verbose_name = _("vaste beschikbaarheid")
        verbose_name_plural = _("vaste beschikbaarheid")
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="weekly_window_order"
            )
        ]

    def __str__(self):
        day = self.get_weekday_display()
        return f"{self.trainer} {day} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class AvailabilityException(models.Model):
    """A date on which the weekly pattern does not hold: away (available=False) or, on a
    day outside the pattern, available for the given window."""

    trainer = models.ForeignKey(Trainer, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField(_("datum"))
    available = models.BooleanField(_("beschikbaar"), default=False)
    start_time = models.TimeField(_("van"), null=True, blank=True)
    end_time = models.TimeField(_("tot"), null=True, blank=True)

    class Meta:
        verbose_name = _("uitzondering op beschikbaarheid")
        verbose_name_plural = _("uitzonderingen op beschikbaarheid")
        ordering = ["date"]
        indexes = [models.Index(fields=["date", "trainer"])]

    def __str__(self):
        return f"{self.trainer} {self.date}"


class Assignment(models.Model):
    """A trainer on a session. The session's times are copied here so that the database can
    refuse overlapping active assignments of one trainer (an exclusion constraint on
    PostgreSQL, added in migration 0002); the service layer refuses them first."""

    session = models.ForeignKey(
        "otwb.Session", on_delete=models.CASCADE, related_name="assignments"
    )
    trainer = models.ForeignKey(Trainer, on_delete=models.PROTECT, related_name="assignments")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inzet")
        verbose_name_plural = _("inzet")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "trainer"],
                condition=Q(active=True),
                name="assignment_once_per_session",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="assignment_period"
            ),
        ]
        indexes = [
            models.Index(
                fields=["trainer", "starts_at"],
                condition=Q(active=True),
                name="assignment_active_idx",
            ),
            # Clashes with a slot: only assignments that end after it starts are read.
            models.Index(
                fields=["ends_at", "starts_at"],
                condition=Q(active=True),
                name="assignment_active_period_idx",
            ),
        ]

    def __str__(self):
        return f"{self.trainer} – {self.session}"
