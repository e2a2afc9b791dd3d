from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from weerbaar.access import ScopedQuerySet
from weerbaar.fields import EncryptedTextField

from .constants import UNDONE, DeliveryStatus


class SubscriptionQuerySet(ScopedQuerySet):
    def scope_q(self, user):
        """The subscriptions of the clients ``user`` manages (``api.rules``)."""
        from api.rules import managed_q

        return Q(client__in=_clients(managed_q(user)))


def _clients(q):
    from api.models import ApiClient

    return ApiClient.objects.filter(q).values("pk")


class Subscription(models.Model):
    """A URL of an API client's organisation that is told of events (Standard Webhooks).

    Its secret signs every delivery; after a rotation the previous secret signs too until
    ``previous_secret_until``, so the receiver can switch without missing a message. Both
    are encrypted at rest: the portal needs them in plain text to sign."""

    client = models.ForeignKey(
        "api.ApiClient",
        verbose_name=_("koppeling"),
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
    )
    url = models.URLField(_("adres"), max_length=500)
    events = models.JSONField(_("gebeurtenissen"), default=list)
    secret = EncryptedTextField(_("geheim"))
    previous_secret = EncryptedTextField(_("vorig geheim"), blank=True)
    previous_secret_until = models.DateTimeField(
        _("vorig geheim geldig tot"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangemaakt door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["client", "pk"]

    def __str__(self):
        return self.url

    def signing_secrets(self, now):
        """The secrets that sign a message sent at ``now``: the current one, and the previous
        one during its overlap."""
        secrets = [self.secret]
        if self.previous_secret and self.previous_secret_until and now < self.previous_secret_until:
            secrets.append(self.previous_secret)
        return secrets


class DeliveryQuerySet(models.QuerySet):
    def undone(self):
        return self.filter(status__in=UNDONE)

    def due(self, now):
        """Rows whose (next) attempt is due, and claimed rows whose lease ran out (the worker
        that claimed them died): a claim sets ``next_attempt_at`` to the lease's end. A row
        waits while an earlier row for the same object and subscription is not finished,
        so a receiver gets one object's events in order."""
        earlier = Delivery.objects.filter(
            subscription=models.OuterRef("subscription"),
            object_key=models.OuterRef("object_key"),
            pk__lt=models.OuterRef("pk"),
            status__in=UNDONE,
        )
        return self.filter(status__in=UNDONE, next_attempt_at__lte=now).exclude(
            models.Exists(earlier)
        )


class Delivery(models.Model):
    """The outbox: one event for one subscription, written in the transaction of the change
    it reports, delivered by the ``deliver-webhooks`` sweep. ``message_id`` is the
    ``webhook-id``: the same at every attempt, so a receiver drops a repeat."""

    subscription = models.ForeignKey(
        Subscription,
        verbose_name=_("webhook"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    message_id = models.CharField(_("berichtnummer"), max_length=40, unique=True)
    event_type = models.CharField(_("gebeurtenis"), max_length=40)
    # "melding:12": the object the event is about; events of one key go out in order.
    object_key = models.CharField(_("object"), max_length=60)
    payload = models.JSONField(_("inhoud"))
    created_at = models.DateTimeField(_("aangemaakt"))
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    next_attempt_at = models.DateTimeField(_("volgende poging"))
    claimed_until = models.DateTimeField(_("geclaimd tot"), null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(_("laatste HTTP-status"), null=True, blank=True)
    last_error = models.CharField(_("laatste fout"), max_length=200, blank=True)
    delivered_at = models.DateTimeField(_("afgeleverd"), null=True, blank=True)
    dead_at = models.DateTimeField(_("opgegeven"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("geannuleerd"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhookbericht")
        verbose_name_plural = _("webhookberichten")
        ordering = ["-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_due_idx",
                condition=Q(status__in=["pending", "sending"]),
            ),
            models.Index(
                fields=["subscription", "object_key", "id"],
                name="webhook_delivery_order_idx",
                condition=Q(status__in=["pending", "sending"]),
            ),
            models.Index(
                fields=["subscription", "-dead_at"],
                name="webhook_delivery_dead_idx",
                condition=Q(status="dead"),
            ),
        ]

    def __str__(self):
        return self.message_id
