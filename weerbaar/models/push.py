from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..fields import EncryptedTextField


class PushSubscription(models.Model):
    """A browser (phone or desktop) where a user opted in to Web Push. The keys let anyone
    who holds them write to that browser, so they are encrypted at rest; the endpoint is the
    push service's address for it and is unique: a browser that subscribes again, for
    whichever user is signed in there now, replaces its row."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        related_name="push_subscriptions",
    )
    endpoint = models.URLField(_("adres pushdienst"), max_length=1000, unique=True)
    p256dh = EncryptedTextField(_("publieke sleutel"))
    auth = EncryptedTextField(_("authenticatiegeheim"))
    device = models.CharField(_("apparaat"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("aangemeld"), auto_now_add=True)
    last_success_at = models.DateTimeField(_("laatst bezorgd"), null=True, blank=True)
    failures = models.PositiveIntegerField(_("mislukte pogingen op rij"), default=0)

    class Meta:
        verbose_name = _("pushabonnement")
        verbose_name_plural = _("pushabonnementen")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.device or self.endpoint_host

    @property
    def endpoint_host(self):
        return urlsplit(self.endpoint).hostname or ""


class PushDelivery(models.Model):
    """That one notification reached one subscription's push service. Written right after
    the service accepted it, so a retry of the notification (its email failed, another
    browser's push failed) never pushes to this browser twice."""

    notification = models.ForeignKey(
        "weerbaar.Notification", on_delete=models.CASCADE, related_name="push_deliveries"
    )
    subscription = models.ForeignKey(
        PushSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    sent_at = models.DateTimeField(_("verzonden"))

    class Meta:
        verbose_name = _("pushbezorging")
        verbose_name_plural = _("pushbezorgingen")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "subscription"], name="push_delivery_once"
            )
        ]

    def __str__(self):
        return f"{self.notification_id} → {self.subscription_id}"
