"""Web Push through the outbox, against a push service on loopback that verifies the VAPID
signature and decrypts each push (tests/pushreceiver.py): every browser of every recipient
gets a notification once, across retries; the payload carries no content; a browser the
service reports gone is removed; the portal posts only to the push services it allows."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.pushreceiver import PushReceiver, add_browser
from weerbaar.constants import NotificationStatus
from weerbaar.models import Notification, PushDelivery, PushSubscription
from weerbaar.notifications import deliver_pending, notify_many

ACUTE = "Er is een acute melding — open het portaal"
SMTP_REFUSING = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture
def receiver(settings):
    with PushReceiver(settings.VAPID_PUBLIC_KEY) as push_service:
        settings.PUSH_SERVICES = [push_service.origin]
        yield push_service


def queue(*recipients, push=ACUTE):
    return notify_many(
        recipients,
        kind="test.acute",
        subject="Nieuwe melding",
        body="Er is een nieuwe melding voor u. Log in om die te bekijken.",
        link="/meldingen/7/",
        push=push,
    )


def test_each_browser_gets_one_push_without_content_across_a_retry(
    receiver, settings, griffier_a, griffier_b
):
    add_browser(receiver, griffier_a, "phone")
    add_browser(receiver, griffier_a, "desktop")
    add_browser(receiver, griffier_b, "other")
    queue(griffier_a, griffier_b)

    # First run: the mail server refuses and the desktop's push service has a bad moment.
    settings.EMAIL_BACKEND = SMTP_REFUSING
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    receiver.answers["desktop"] = 503
    assert deliver_pending() == 0
    assert sorted(a["token"] for a in receiver.accepted) == ["other", "phone"]
    assert set(Notification.objects.values_list("status", flat=True)) == {"pending"}

    # The retry sends the emails and the desktop's push, and pushes nowhere twice.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    del receiver.answers["desktop"]
    later = timezone.now() + timedelta(days=1)
    assert deliver_pending(now=later) == 2
    assert deliver_pending(now=later + timedelta(days=1)) == 0

    assert receiver.rejected == []
    assert Counter(a["token"] for a in receiver.accepted) == {"phone": 1, "desktop": 1, "other": 1}
    assert len(mail.outbox) == 2
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    assert PushDelivery.objects.count() == 3
    for push in receiver.accepted:
        assert push["payload"] == {
            "title": "Weerbaar Bestuur",
            "body": ACUTE,
            "url": f"{settings.SITE_URL.rstrip('/')}/meldingen/7/",
            "tag": push["payload"]["tag"],
        }
        assert push["claims"]["sub"] == settings.VAPID_SUBJECT
        assert push["headers"]["urgency"] == "high"
        assert push["headers"]["topic"] == f"wb{push['payload']['tag'][3:]}"
    desktop = PushSubscription.objects.get(endpoint=receiver.endpoint("desktop"))
    assert desktop.last_success_at is not None and desktop.failures == 0


def test_a_browser_the_push_service_reports_gone_is_removed(receiver, griffier_a):
    add_browser(receiver, griffier_a, "phone")
    add_browser(receiver, griffier_a, "old-laptop")
    receiver.answers["old-laptop"] = 410
    queue(griffier_a)
    assert deliver_pending() == 1
    assert [a["token"] for a in receiver.accepted] == ["phone"]
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [
        receiver.endpoint("phone")
    ]
    assert Notification.objects.get().status == NotificationStatus.SENT


def test_notification_without_push_text_pushes_nothing(receiver, griffier_a):
    add_browser(receiver, griffier_a, "phone")
    queue(griffier_a, push="")
    assert deliver_pending() == 1
    assert receiver.accepted == [] and receiver.rejected == []
    assert len(mail.outbox) == 1


def test_the_portal_posts_only_to_allowed_push_services(receiver, settings, griffier_a):
    """A row whose endpoint is no longer (or never was) an allowed service is not posted to:
    the portal never sends requests to a host of a user's choosing."""
    add_browser(receiver, griffier_a, "phone")
    settings.PUSH_SERVICES = ["https://fcm.googleapis.com"]
    queue(griffier_a)
    assert deliver_pending() == 1
    assert receiver.accepted == [] and receiver.rejected == []


def test_push_keys_are_encrypted_at_rest(receiver, griffier_a):
    from django.db import connection

    subscription = add_browser(receiver, griffier_a, "phone")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p256dh, auth FROM weerbaar_pushsubscription WHERE id = %s", [subscription.pk]
        )
        p256dh, auth = cursor.fetchone()
    assert subscription.p256dh not in p256dh
    assert subscription.auth not in auth
    assert PushSubscription.objects.get().auth == subscription.auth


def test_a_browser_with_broken_keys_does_not_stop_the_others(receiver, griffier_a, griffier_b):
    add_browser(receiver, griffier_a, "phone")
    broken = add_browser(receiver, griffier_a, "broken")
    add_browser(receiver, griffier_b, "other")
    # Keys that are no point on the curve (a corrupt row): encrypting for it raises.
    PushSubscription.objects.filter(pk=broken.pk).update(p256dh="AAAA")
    queue(griffier_a, griffier_b)
    assert deliver_pending() == 1
    assert sorted(a["token"] for a in receiver.accepted) == ["other", "phone"]
    row = Notification.objects.get(recipient=griffier_a)
    assert row.status == NotificationStatus.PENDING
    assert row.last_error.startswith("push ")
    assert PushSubscription.objects.get(pk=broken.pk).failures == 1
