"""The one write path of webhook subscriptions: made, given a new secret, removed, and a
given-up message sent again, only here, each step audited in its own transaction, by
whoever manages the client (``api.rules.may_manage``). A secret is returned in plain text
only by ``subscribe`` and ``rotate_secret``: the screen shows it once."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.constants import ClientStatus
from api.models import ApiClient
from api.rules import may_manage
from weerbaar import audit
from weerbaar.constants import AuditAction

from .constants import DeliveryStatus, EventType
from .models import Delivery, Subscription
from .signing import new_secret
from .targets import Refused, check_url

__all__ = ["cancel_undelivered", "remove", "retry", "rotate_secret", "subscribe"]


def _audit(action, subscription, *, actor, http_request, step, **detail):
    audit.record(
        action,
        actor=actor,
        obj=subscription,
        request=http_request,
        organisation=subscription.client.organisation,
        step=step,
        api_client=subscription.client_id,
        **detail,
    )


def _may(actor, client):
    """The client's owner on the screen, or the client itself over the API (its
    ``webhooks:beheren`` scope is checked by the API view)."""
    return actor.pk == client.account_id or may_manage(actor, client)


def _managed_client(actor, client):
    client = ApiClient.objects.select_for_update(of=("self",)).get(pk=client.pk)
    if not _may(actor, client):
        raise PermissionDenied
    return client


def _locked(actor, subscription):
    subscription = (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("client__organisation")
        .get(pk=subscription.pk)
    )
    if not _may(actor, subscription.client):
        raise PermissionDenied
    return subscription


def subscribe(*, actor, client, url, events, http_request=None):
    """A new subscription of an active client. Returns ``(subscription, secret)``."""
    events = sorted(set(events))
    if not events or any(e not in EventType.values for e in events):
        raise ValidationError(_("Kies ten minste één gebeurtenis."), code="events")
    try:
        check_url(url)
    except Refused as exc:
        raise ValidationError(str(exc), code="url") from None
    with transaction.atomic():
        client = _managed_client(actor, client)
        if client.status != ClientStatus.ACTIVE:
            raise ValidationError(_("Deze koppeling is niet actief."), code="inactive")
        secret = new_secret()
        subscription = Subscription.objects.create(
            client=client, url=url, events=events, secret=secret, created_by=actor
        )
        _audit(
            AuditAction.CREATE,
            subscription,
            actor=actor,
            http_request=http_request,
            step="webhook.subscribe",
            events=events,
        )
    return subscription, secret


def rotate_secret(*, actor, subscription, http_request=None, now=None):
    """A new secret; the old one keeps signing beside it for the overlap, so the receiver
    can switch without rejecting a message. Returns the new secret, once."""
    now = now or timezone.now()
    with transaction.atomic():
        subscription = _locked(actor, subscription)
        subscription.previous_secret = subscription.secret
        subscription.previous_secret_until = now + timedelta(
            hours=settings.WEBHOOKS_SECRET_OVERLAP_HOURS
        )
        subscription.secret = secret = new_secret()
        subscription.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
        _audit(
            AuditAction.UPDATE,
            subscription,
            actor=actor,
            http_request=http_request,
            step="webhook.secret",
        )
    return secret


def remove(*, actor, subscription, http_request=None):
    """End the subscription; its messages not yet delivered go with it."""
    with transaction.atomic():
        subscription = _locked(actor, subscription)
        _audit(
            AuditAction.REVOKE,
            subscription,
            actor=actor,
            http_request=http_request,
            step="webhook.remove",
        )
        subscription.delete()


def retry(*, actor, delivery, http_request=None, now=None):
    """Send a given-up message again ("opnieuw proberen"): pending now, with a fresh count
    of attempts and the same ``webhook-id``."""
    now = now or timezone.now()
    with transaction.atomic():
        subscription = _locked(actor, delivery.subscription)
        row = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if subscription.client.status != ClientStatus.ACTIVE:
            raise ValidationError(_("Deze koppeling is niet actief."), code="inactive")
        if row.status != DeliveryStatus.DEAD:
            raise ValidationError(_("Dit bericht is niet opgegeven."), code="not_dead")
        row.status = DeliveryStatus.PENDING
        row.attempts = 0
        row.next_attempt_at = now
        row.dead_at = None
        row.save(update_fields=["status", "attempts", "next_attempt_at", "dead_at"])
        _audit(
            AuditAction.UPDATE,
            row.subscription,
            actor=actor,
            http_request=http_request,
            step="webhook.retry",
            message_id=row.message_id,
        )
    return row


def cancel_undelivered(*, client, actor=None, http_request=None, now=None):
    """The messages of ``client``'s subscriptions not yet delivered (waiting, or being sent
    right now) are cancelled: a revoked client's receiver is told nothing more, and nothing
    waits in the outbox for a client that will never be active again. The owner sees them
    as cancelled; one audit line per subscription says how many. Called by
    ``api.services.revoke`` in its transaction (the client row locked), and by the delivery
    sweep for a row that slipped in after the revocation (``actor`` None: the system).
    Returns the number cancelled."""
    now = now or timezone.now()
    with transaction.atomic():
        # Locked first, so a claim in progress is waited for; a row claimed and being sent
        # (SENDING) is cancelled too, and the worker's check just before posting finds it
        # so and sends nothing (``delivery.deliver_one``).
        locked = list(
            Delivery.objects.filter(subscription__client=client)
            .undone()
            .select_for_update(of=("self",))
            .values_list("pk", "subscription_id")
        )
        counts = {}
        for _pk, subscription_id in locked:
            counts[subscription_id] = counts.get(subscription_id, 0) + 1
        if not counts:
            return 0
        cancelled = Delivery.objects.filter(pk__in=[pk for pk, _s in locked]).update(
            status=DeliveryStatus.CANCELLED,
            cancelled_at=now,
            claimed_until=None,
            last_error="cancelled: client revoked",
        )
        subscriptions = Subscription.objects.filter(pk__in=counts).select_related(
            "client__organisation"
        )
        for subscription in subscriptions:
            _audit(
                AuditAction.UPDATE,
                subscription,
                actor=actor,
                http_request=http_request,
                step="webhook.cancel",
                cancelled=counts[subscription.pk],
            )
    return cancelled
