"""The notifications outbox: queue in the business transaction, deliver in a sweep.

``notify`` only writes a row; it is safe to call inside any transaction and idempotent per
``dedupe_key``. ``deliver_pending`` emails due rows one by one, each under a row lock taken
with SKIP LOCKED, so two workers never send the same row, and a row is marked sent in the
same transaction that sent it. A failing mail server leaves the row pending with a later
``next_attempt_at`` (exponential backoff); nothing is dropped.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

import structlog
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .constants import NotificationStatus
from .models import Notification

__all__ = [
    "Message",
    "backoff",
    "deliver_one",
    "deliver_pending",
    "notify",
    "notify_batch",
    "notify_many",
]

log = structlog.get_logger(__name__)


def notify(recipient, *, kind, subject, body, link="", dedupe_key=None):
    """Queue one notification. Subject and body must not contain sensitive content."""
    if dedupe_key and Notification.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            return Notification.objects.create(
                recipient=recipient,
                kind=kind,
                subject=str(subject),
                body=str(body),
                link=link,
                dedupe_key=dedupe_key,
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:
        # Raced with another writer of the same dedupe_key: theirs stands.
        return None


def notify_many(recipients, *, kind, subject, body, link="", dedupe_key=None):
    """Queue the same notification for several people (each deduplicated on their own)."""
    return notify_batch(
        [
            Message(
                recipients, kind=kind, subject=subject, body=body, link=link, dedupe_key=dedupe_key
            )
        ]
    )


@dataclass
class Message:
    """One notification for several people, for ``notify_batch``. ``recipients`` are users
    or user ids."""

    recipients: Iterable
    kind: str
    subject: str
    body: str
    link: str = ""
    dedupe_key: str | None = None


def notify_batch(messages):
    """Queue many messages (a sweep's chunk) in two statements whatever their number: which
    dedupe keys exist, then one insert. Each person is deduplicated on their own key. A
    writer racing on one of the keys makes the insert fail; then each row is tried on its
    own, so theirs stands and the others are still queued."""
    now = timezone.now()
    rows, keys = [], set()
    for message in messages:
        # Each person once per message, and each dedupe key once per batch.
        for user_id in dict.fromkeys(getattr(p, "pk", p) for p in message.recipients):
            key = f"{message.dedupe_key}:u{user_id}" if message.dedupe_key else None
            if key in keys:
                continue
            if key:
                keys.add(key)
            rows.append(
                Notification(
                    recipient_id=user_id,
                    kind=message.kind,
                    subject=str(message.subject),
                    body=str(message.body),
                    link=message.link,
                    dedupe_key=key,
                    next_attempt_at=now,
                )
            )
    if keys:
        taken = set(
            Notification.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
        )
        rows = [r for r in rows if r.dedupe_key not in taken]
    if not rows:
        return []
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(rows)
    except IntegrityError:
        return [row for row in rows if _insert_one(row)]


def _insert_one(row):
    try:
        with transaction.atomic():
            row.pk = None
            row.save(force_insert=True)
    except IntegrityError:
        return False
    return True


def backoff(attempts):
    """1, 2, 4, ... minutes, capped at six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def _render(notification):
    with translation.override("nl"):
        context = {
            "notification": notification,
            "recipient": notification.recipient,
            "site_url": settings.SITE_URL.rstrip("/"),
        }
        return render_to_string("weerbaar/email/notification.txt", context)


def deliver_one(pk, *, now=None):
    """Send one due notification. Returns True when it was sent by this call."""
    now = now or timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("recipient")
            .filter(pk=pk, status=NotificationStatus.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if notification is None:
            return False
        notification.attempts += 1
        try:
            send_mail(
                subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{notification.subject}",
                message=_render(notification),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[notification.recipient.email],
            )
        except Exception as exc:  # any transport failure: keep the row, try again later
            notification.last_error = f"{type(exc).__name__}"[:300]
            if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
                notification.status = NotificationStatus.FAILED
            else:
                notification.next_attempt_at = now + backoff(notification.attempts)
            notification.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            log.warning("notification.failed", id=notification.pk, attempts=notification.attempts)
            return False
        notification.status = NotificationStatus.SENT
        notification.sent_at = now
        notification.last_error = ""
        notification.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        return True


def deliver_pending(*, now=None, limit=None):
    """Deliver every due notification; returns the number sent."""
    now = now or timezone.now()
    limit = limit or settings.NOTIFICATION_BATCH_SIZE
    due = list(
        Notification.objects.due(now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(deliver_one(pk, now=now) for pk in due)
