"""Web Push: the outbox's second channel, for what must reach a person at night (an acute
melding, an escalation).

The payload is encrypted for the browser (RFC 8291) and signed with the portal's VAPID key
(RFC 8292), and still carries no content: only a generic sentence, the portal's address
and a tag. Each (notification, subscription) is recorded once the push service accepted it,
so a retry of the notification never pushes there again; in the short window between the
service's accept and that record, the tag (the browser replaces a notice with the same tag)
and the Topic header (the service replaces a message not yet delivered) keep a second push
from showing twice. A subscription the service reports gone (404/410) is removed.
"""

import base64
import json
from fnmatch import fnmatchcase
from urllib.parse import urlsplit

import structlog
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from .models import PushDelivery, PushSubscription

__all__ = [
    "deliver_push",
    "device_label",
    "endpoint_allowed",
    "payload",
    "push_enabled",
    "valid_keys",
]

log = structlog.get_logger(__name__)

GONE = (404, 410)


def push_enabled():
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


def endpoint_allowed(endpoint):
    """Only https endpoints of the push services in ``PUSH_SERVICES``: the portal posts to
    this address, so it must never be one of the user's choosing (an internal host)."""
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return False
    if not parts.hostname or parts.username or parts.password:
        return False
    for service in settings.PUSH_SERVICES:
        allowed = urlsplit(service)
        if (
            parts.scheme == allowed.scheme
            and fnmatchcase(parts.hostname, allowed.hostname or "")
            and port == allowed.port
        ):
            return True
    return False


def _b64decode(value):
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def valid_keys(p256dh, auth):
    """The browser's keys: a P-256 public key (uncompressed point) and a 16-byte secret."""
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _b64decode(p256dh))
        return len(_b64decode(auth)) == 16
    except (ValueError, TypeError):
        return False


def device_label(user_agent):
    """ "Firefox op Android": enough for a user to tell their subscriptions apart."""
    ua = user_agent or ""
    browsers = [("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome")]
    browser = next((name for mark, name in browsers if mark in ua), "")
    if not browser and "Safari/" in ua:
        browser = "Safari"
    systems = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]
    system = next((name for mark, name in systems if mark in ua), "")
    return " op ".join(part for part in (browser or "Browser", system) if part)


def payload(notification):
    """Everything the service worker shows: no content, only that there is something."""
    site = settings.SITE_URL.rstrip("/")
    return {
        "title": "Weerbaar Bestuur",
        "body": notification.push_text,
        "url": f"{site}{notification.link or '/berichten/'}",
        "tag": f"wb-{notification.pk}",
    }


def _vapid():
    return Vapid.from_raw(settings.VAPID_PRIVATE_KEY.encode())


def _send(subscription, notification, vapid):
    webpush(
        {
            "endpoint": subscription.endpoint,
            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
        },
        data=json.dumps(payload(notification)),
        vapid_private_key=vapid,
        vapid_claims={"sub": settings.VAPID_SUBJECT},
        ttl=settings.PUSH_TTL,
        timeout=settings.PUSH_TIMEOUT,
        headers={"Urgency": "high", "Topic": f"wb{notification.pk}"},
    )


def _record(subscription, notification, now):
    try:
        with transaction.atomic():
            PushDelivery.objects.create(
                notification=notification, subscription=subscription, sent_at=now
            )
    except IntegrityError:
        # The subscription was removed meanwhile (the user, or a 410 seen by another run).
        return
    PushSubscription.objects.filter(pk=subscription.pk).update(last_success_at=now, failures=0)


def deliver_push(notification, *, now):
    """Push ``notification`` to each of its recipient's browsers not yet reached; returns the
    errors (empty when every browser has it). One browser failing does not stop the rest."""
    if not push_enabled():
        log.warning("push.not_configured", id=notification.pk)
        return []
    vapid = _vapid()
    errors = []
    todo = PushSubscription.objects.filter(user_id=notification.recipient_id).exclude(
        deliveries__notification=notification
    )
    for subscription in todo:
        if not endpoint_allowed(subscription.endpoint):
            log.warning("push.endpoint_not_allowed", subscription=subscription.pk)
            continue
        try:
            _send(subscription, notification, vapid)
        except WebPushException as exc:
            status = getattr(exc.response, "status_code", None)
            if status in GONE:
                subscription.delete()
                log.info("push.subscription_gone", subscription=subscription.pk, status=status)
                continue
            errors.append(f"push {status or 'WebPushException'}")
        except Exception as exc:  # any failure of one browser (network, its keys): the
            # others still get theirs, and this one is tried again with the row's back-off
            errors.append(f"push {type(exc).__name__}")
        else:
            _record(subscription, notification, now)
            continue
        PushSubscription.objects.filter(pk=subscription.pk).update(failures=F("failures") + 1)
        log.warning("push.failed", id=notification.pk, subscription=subscription.pk)
    return errors
