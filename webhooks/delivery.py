"""Deliver the webhook outbox: the ``deliver-webhooks`` sweep.

Each due row is claimed in a committed transaction of its own before anything is sent
(row lock with SKIP LOCKED, then status SENDING with a lease), so at most one attempt per
event is in flight: another worker skips it until the lease ends, which only a worker that
died lets happen. Then the row's URL is resolved and checked again (``targets``), the
message signed and posted, and the outcome written only if the claim still holds.

What is guaranteed: a row ends DELIVERED once (the mark is conditional on the claim); the
receiver may get the same ``webhook-id`` more than once (a worker killed after the
receiver took the request and before the mark: the lease runs out and the next run sends
it again), and Standard Webhooks receivers drop repeats by id. A non-2xx answer, a timeout
or a refused target counts an attempt and backs off exponentially; after
``WEBHOOKS_MAX_ATTEMPTS`` the row is DEAD, shown to the client's owner, who can send it
again. Events about one object go out in the order they happened: a row waits while an
earlier row of its subscription and object is pending or being sent (``Delivery.due``)."""

import http.client
import json
from datetime import timedelta

import structlog
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from api.constants import ClientStatus
from api.models import ApiClient

from .constants import UNDONE, DeliveryStatus
from .models import Delivery
from .services import cancel_undelivered
from .signing import headers
from .targets import Refused, resolve
from .transport import post

__all__ = ["DELIVERY_SWEEP", "backoff", "cancel_for_inactive_clients", "deliver_due", "deliver_one"]

log = structlog.get_logger(__name__)

DELIVERY_SWEEP = "deliver-webhooks"
# A transport failure: the receiver's or the network's, counted as an attempt.
TRANSPORT = (OSError, http.client.HTTPException, Refused)


def backoff(attempts):
    """``WEBHOOKS_FIRST_RETRY`` seconds after the first failure, doubling, at most six hours."""
    return timedelta(
        seconds=min(settings.WEBHOOKS_FIRST_RETRY * 2 ** max(attempts - 1, 0), 6 * 3600)
    )


def _deliverable(now):
    return Delivery.objects.due(now).filter(subscription__client__status=ClientStatus.ACTIVE)


def _claim(pk, now):
    with transaction.atomic():
        row = (
            _deliverable(now)
            .select_for_update(skip_locked=True, of=("self",))
            .filter(pk=pk)
            .first()
        )
        if row is None:
            return None
        row.status = DeliveryStatus.SENDING
        row.attempts += 1
        # The lease runs from the claim itself, not from the start of a long run.
        row.claimed_until = max(now, timezone.now()) + timedelta(seconds=settings.WEBHOOKS_LEASE)
        row.next_attempt_at = row.claimed_until
        row.save(update_fields=["status", "attempts", "claimed_until", "next_attempt_at"])
    return Delivery.objects.select_related("subscription").get(pk=pk)


def _claimed(row):
    """The row, as long as this attempt's claim holds (not taken over after the lease)."""
    return Delivery.objects.filter(pk=row.pk, status=DeliveryStatus.SENDING, attempts=row.attempts)


def _still_sendable(row):
    """Checked just before posting: the claim still holds and the client is still active.
    A revocation committed after the claim has cancelled the row; a client made inactive
    any other way has its messages cancelled here."""
    if _claimed(row).filter(subscription__client__status=ClientStatus.ACTIVE).exists():
        return True
    if _claimed(row).exists():
        cancel_for_inactive_clients(now=timezone.now())
    return False


def cancel_for_inactive_clients(*, now):
    """Cancel the undelivered messages of every client that is no longer active: rows that
    slipped into the outbox after the revocation (an event emitted in a transaction that
    began before it) never go out, and do not wait there for ever."""
    clients = (
        ApiClient.objects.filter(webhook_subscriptions__deliveries__status__in=UNDONE)
        .exclude(status=ClientStatus.ACTIVE)
        .distinct()
    )
    return sum(cancel_undelivered(client=client, now=now) for client in clients)


def body_of(row):
    return json.dumps(row.payload, separators=(",", ":"), sort_keys=True).encode()


def _send(row, now):
    """Post the row; returns the HTTP status or raises one of ``TRANSPORT``."""
    target = resolve(row.subscription.url)
    body = body_of(row)
    signed = headers(
        row.subscription.signing_secrets(now),
        message_id=row.message_id,
        # The moment of sending, not of the run: receivers refuse stale timestamps.
        timestamp=int(max(now, timezone.now()).timestamp()),
        body=body,
    )
    return post(target, body=body, headers=signed)


def _error(exc):
    if isinstance(exc, Refused):
        return f"refused: {exc}"[:200]
    return type(exc).__name__


def deliver_one(pk, *, now=None):
    """Claim, send, mark one due row. Returns True when this call delivered it."""
    now = now or timezone.now()
    row = _claim(pk, now)
    if row is None or not _still_sendable(row):
        return False
    code, error = None, ""
    try:
        code = _send(row, now)
    except TRANSPORT as exc:
        error = _error(exc)
    done = {"claimed_until": None, "last_status": code}
    if code is not None and 200 <= code < 300:
        _claimed(row).update(
            **done, status=DeliveryStatus.DELIVERED, delivered_at=now, last_error=""
        )
        return True
    error = error or f"HTTP {code}"
    if row.attempts >= settings.WEBHOOKS_MAX_ATTEMPTS:
        _claimed(row).update(**done, status=DeliveryStatus.DEAD, dead_at=now, last_error=error)
    else:
        _claimed(row).update(
            **done,
            status=DeliveryStatus.PENDING,
            next_attempt_at=now + backoff(row.attempts),
            last_error=error,
        )
    log.info("webhook.failed", id=row.pk, attempts=row.attempts, error=error)
    return False


def deliver_due(*, now=None, limit=None):
    """Deliver every due row, oldest first; returns how many were delivered. When a pass
    finished rows, the events they held back are due now and another pass sends them (at
    most ``limit`` attempts a run). A row whose delivery raises something other than a
    transport failure (a bug) is recorded as a sweep failure and the others go on; a lost
    database connection stops the run."""
    from weerbaar import sweeps

    now = now or timezone.now()
    limit = limit or settings.WEBHOOKS_BATCH_SIZE
    cancel_for_inactive_clients(now=now)
    tried, delivered = set(), 0
    while len(tried) < limit:
        due = list(
            _deliverable(now)
            .exclude(pk__in=tried)
            .order_by("pk")
            .values_list("pk", flat=True)[: limit - len(tried)]
        )
        if not due:
            break
        for pk in due:
            tried.add(pk)
            try:
                delivered += deliver_one(pk, now=now)
            except sweeps.TRANSIENT:
                raise
            except Exception as error:  # this row's fault: recorded, the others go on
                sweeps.record_failure(
                    sweep=DELIVERY_SWEEP, obj=(Delivery, pk), error=error, now=now
                )
    return delivered
