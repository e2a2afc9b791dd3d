import threading

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from weerbaar.constants import NotificationStatus, Role
from weerbaar.models import Notification
from weerbaar.notifications import Message, deliver_pending, notify, notify_batch

SMTP_REFUSING = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture
def recipient(user_factory, gemeente_a):
    return user_factory(Role.GRIFFIER, gemeente_a)


def queue(recipient, **kwargs):
    return notify(
        recipient,
        kind="melding.new",
        subject="Nieuwe melding",
        body="Er is een nieuwe melding voor u. Log in om die te bekijken.",
        link="/meldingen/1/",
        **kwargs,
    )


def test_notification_is_in_inbox_at_once_and_emailed_by_the_sweep(recipient):
    queue(recipient)
    assert Notification.objects.unread_for(recipient).count() == 1
    assert mail.outbox == []
    assert deliver_pending() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [recipient.email]
    assert "Log in" in mail.outbox[0].body


def test_mail_server_failure_delays_but_never_loses_or_duplicates(recipient, settings):
    queue(recipient)
    # A real SMTP connection to a port where nothing listens: the server "refuses".
    settings.EMAIL_BACKEND = SMTP_REFUSING
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    assert deliver_pending() == 0
    row = Notification.objects.get()
    assert row.status == NotificationStatus.PENDING
    assert row.attempts == 1
    assert row.next_attempt_at > timezone.now()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Not yet due: the backoff holds it back.
    assert deliver_pending() == 0
    later = row.next_attempt_at + timezone.timedelta(seconds=1)
    assert deliver_pending(now=later) == 1
    assert deliver_pending(now=later) == 0
    assert deliver_pending(now=later + timezone.timedelta(hours=1)) == 0
    assert len(mail.outbox) == 1
    assert Notification.objects.get().status == NotificationStatus.SENT


def test_gives_up_after_max_attempts_and_marks_failed(recipient, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    settings.EMAIL_BACKEND = SMTP_REFUSING
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    queue(recipient)
    far = timezone.now() + timezone.timedelta(days=1)
    deliver_pending()
    deliver_pending(now=far)
    assert Notification.objects.get().status == NotificationStatus.FAILED


def test_same_event_is_queued_once(recipient):
    assert queue(recipient, dedupe_key="melding:1:new") is not None
    assert queue(recipient, dedupe_key="melding:1:new") is None
    assert Notification.objects.count() == 1


def test_notification_rolls_back_with_its_business_transaction(recipient):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue(recipient)
        raise RuntimeError("the change failed")
    assert Notification.objects.count() == 0


def test_email_never_contains_more_than_the_neutral_body(recipient):
    queue(recipient)
    deliver_pending()
    body = mail.outbox[0].body
    assert "Er is een nieuwe melding voor u" in body
    assert "geen inhoud" in body


def test_notify_batch_deduplicates_per_person_in_two_statements(griffier_a, griffier_b):
    message = Message(
        [griffier_a, griffier_b, griffier_a.pk],
        kind="test",
        subject="Onderwerp",
        body="Tekst",
        dedupe_key="k1",
    )
    with CaptureQueriesContext(connection) as ctx:
        assert len(notify_batch([message, message])) == 2
    assert sum(not q["sql"].startswith(("SAVEPOINT", "RELEASE")) for q in ctx.captured_queries) == 2
    assert notify_batch([message]) == []
    assert Notification.objects.filter(dedupe_key__startswith="k1:").count() == 2


@pytest.mark.django_db(transaction=True)
def test_notify_batch_keeps_the_other_rows_when_it_loses_a_race(griffier_a, griffier_b):
    """Another writer (its own connection, committed) queues one of the keys between the
    check and the insert."""

    def write_and_commit():
        try:
            Notification.objects.create(
                recipient=griffier_a,
                kind="test",
                subject="Eerder",
                body="Eerder",
                dedupe_key=f"k2:u{griffier_a.pk}",
                next_attempt_at=timezone.now(),
            )
        finally:
            connection.close()

    def other_writer(execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "weerbaar_notification"') and not other_writer.done:
            other_writer.done = True
            thread = threading.Thread(target=write_and_commit)
            thread.start()
            thread.join()
        return execute(sql, params, many, context)

    other_writer.done = False
    message = Message([griffier_a, griffier_b], kind="test", subject="S", body="B", dedupe_key="k2")
    with connection.execute_wrapper(other_writer):
        rows = notify_batch([message])
    assert [row.recipient_id for row in rows] == [griffier_b.pk]
    assert Notification.objects.get(dedupe_key=f"k2:u{griffier_a.pk}").subject == "Eerder"
    assert Notification.objects.filter(dedupe_key=f"k2:u{griffier_b.pk}").exists()
