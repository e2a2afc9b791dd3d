from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SecondFactorThrottle(models.Model):
    """How many wrong second-factor codes in a row an account has had, and until when code
    entry waits or is locked (``weerbaar.mfa_throttle``).

    A row in the database rather than a cache entry: every attempt reads and writes it under
    a row lock, so parallel guesses from many sessions are counted exactly (the cache's
    database fallback has no atomic increment), a Redis restart or eviction does not hand
    an attacker a fresh count, and the functioneel beheerder's page lists the locked
    accounts from it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    failures = models.PositiveIntegerField(_("foute codes op rij"), default=0)
    last_failure_at = models.DateTimeField(_("laatste foute code"), null=True, blank=True)
    locked_at = models.DateTimeField(_("geblokkeerd sinds"), null=True, blank=True)
    locked_until = models.DateTimeField(_("geblokkeerd tot"), null=True, blank=True)

    class Meta:
        verbose_name = _("blokkade tweede factor")
        verbose_name_plural = _("blokkades tweede factor")
        indexes = [models.Index(fields=["locked_until"], name="mfa_throttle_locked_idx")]

    def __str__(self):
        return f"{self.user_id}: {self.failures}"
