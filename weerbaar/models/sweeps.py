from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SweepFailureQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)


class SweepFailure(models.Model):
    """A case one sweep could not act on. The sweep rolled back only that case and carried
    on; this row holds the case back until ``next_attempt_at`` (so a bad row does not cost
    every run a failed chunk) and is closed when a later attempt succeeds, or by the
    functioneel beheerder. It names the object by model label and id and keeps the error's
    class and first line only: never case content (the traceback goes to the log)."""

    sweep = models.CharField(_("taak"), max_length=60)
    object_type = models.CharField(_("soort record"), max_length=100)
    object_id = models.CharField(_("record"), max_length=64)
    error_class = models.CharField(_("fout"), max_length=120)
    error_message = models.CharField(_("foutmelding"), max_length=200, blank=True)
    first_failed_at = models.DateTimeField(_("eerste keer mislukt"))
    last_failed_at = models.DateTimeField(_("laatste keer mislukt"))
    attempts = models.PositiveIntegerField(_("pogingen"), default=1)
    next_attempt_at = models.DateTimeField(_("volgende poging"))
    resolved_at = models.DateTimeField(_("opgelost"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opgelost door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = SweepFailureQuerySet.as_manager()

    class Meta:
        verbose_name = _("storing in een taak")
        verbose_name_plural = _("storingen in taken")
        ordering = ["-last_failed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sweep", "object_type", "object_id"],
                condition=Q(resolved_at__isnull=True),
                name="sweep_failure_open_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["sweep", "object_type"],
                name="sweep_failure_open_idx",
                condition=Q(resolved_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.sweep}: {self.object_type} {self.object_id}"


class SweepRun(models.Model):
    """The last run of one sweep, written by the runner: what /health/ reads to tell a
    sweep that stopped running (or keeps failing as a whole) from one that is keeping up."""

    sweep = models.CharField(_("taak"), max_length=60, unique=True)
    watched_since = models.DateTimeField(_("bewaakt sinds"))
    last_started_at = models.DateTimeField(_("laatst gestart"), null=True, blank=True)
    last_succeeded_at = models.DateTimeField(_("laatst geslaagd"), null=True, blank=True)
    last_due = models.PositiveIntegerField(_("te doen bij de laatste run"), default=0)
    last_acted = models.PositiveIntegerField(_("gedaan bij de laatste run"), default=0)

    class Meta:
        verbose_name = _("run van een taak")
        verbose_name_plural = _("runs van taken")

    def __str__(self):
        return self.sweep
