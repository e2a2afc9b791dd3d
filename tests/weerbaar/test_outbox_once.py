"""The outbox sends each email effectively once, also across a crash between the mail
server's accept and the commit that records it: a real SMTP server on loopback receives the
message again with the same Message-ID, and the row ends sent once."""

import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from tests.crashes import crash_on_call
from tests.smtp import LoopbackSMTP
from weerbaar import notifications
from weerbaar.constants import NotificationStatus, Role
from weerbaar.models import Notification
from weerbaar.notifications import deliver_pending, notify

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def smtp(settings):
    with LoopbackSMTP() as server:
        server.configure(settings)
        yield server


@pytest.fixture
def queued(user_factory, gemeente_a):
    griffier = user_factory(Role.GRIFFIER, gemeente_a)
    return notify(
        griffier,
        kind="melding.new",
        subject="Nieuwe melding",
        body="Er is een nieuwe melding voor u. Log in om die te bekijken.",
        link="/meldingen/1/",
    )


def after_lease(settings):
    return timezone.now() + timedelta(seconds=settings.NOTIFICATION_SEND_LEASE + 1)


def test_normal_delivery_sends_exactly_once_with_a_stable_message_id(smtp, queued, settings):
    assert deliver_pending() == 1
    assert deliver_pending(now=after_lease(settings)) == 0
    assert smtp.message_ids == [queued.message_id]
    assert smtp.messages[0]["To"] == queued.recipient.email
    row = Notification.objects.get()
    assert (row.status, row.attempts) == (NotificationStatus.SENT, 1)
    assert row.emailed_at is not None


def test_crash_after_the_server_accepted_resends_with_the_same_message_id(
    smtp, queued, settings, monkeypatch
):
    crash_on_call(monkeypatch, notifications, "_mark_emailed", 1)
    with pytest.raises(ConnectionError):
        deliver_pending()
    assert len(smtp.messages) == 1
    assert Notification.objects.get().status == NotificationStatus.SENDING

    # The claim holds for its lease: a run in the meantime does not send it again.
    assert deliver_pending() == 0
    assert len(smtp.messages) == 1

    later = after_lease(settings)
    assert deliver_pending(now=later) == 1
    assert deliver_pending(now=later + timedelta(hours=1)) == 0
    assert smtp.message_ids == [queued.message_id, queued.message_id]
    row = Notification.objects.get()
    assert (row.status, row.attempts) == (NotificationStatus.SENT, 2)


@pytest.mark.django_db(transaction=True)
def test_claim_is_committed_before_the_mail_is_sent(smtp, queued, monkeypatch):
    """While the mail server talks, the row is already SENDING for every other session."""
    seen = []
    real = notifications._email

    def read_in_another_session(pk):
        try:
            seen.append(Notification.objects.get(pk=pk).status)
        finally:
            connection.close()

    def look_then_send(notification):
        other = threading.Thread(target=read_in_another_session, args=(notification.pk,))
        other.start()
        other.join()
        real(notification)

    monkeypatch.setattr(notifications, "_email", look_then_send)
    assert deliver_pending() == 1
    assert seen == [NotificationStatus.SENDING]


# Runs in a subprocess: deliver the outbox, and die (SIGKILL: no finally, no rollback by
# Python) the moment the SMTP server has accepted the message.
KILLED_AFTER_ACCEPT = """
import os, signal, sys
import django
django.setup()
from django.conf import settings
from django.core.mail.backends import smtp
settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", int(sys.argv[1])
settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
real = smtp.EmailBackend.send_messages
def send_then_die(self, messages):
    real(self, messages)
    os.kill(os.getpid(), signal.SIGKILL)
smtp.EmailBackend.send_messages = send_then_die
from weerbaar.notifications import deliver_pending
deliver_pending()
"""


def database_env():
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": url}


@pytest.mark.faults
@pytest.mark.django_db(transaction=True)
def test_worker_killed_after_smtp_accept_is_resent_once_with_same_message_id(
    smtp, queued, settings
):
    worker = subprocess.run(
        [sys.executable, "-c", KILLED_AFTER_ACCEPT, str(smtp.port)],
        cwd=ROOT,
        env=database_env(),
        capture_output=True,
        timeout=60,
    )
    assert worker.returncode == -signal.SIGKILL, worker.stderr.decode()[-2000:]
    assert len(smtp.messages) == 1

    assert deliver_pending() == 0, "the dead worker's claim holds until its lease ends"
    later = after_lease(settings)
    assert deliver_pending(now=later) == 1
    assert deliver_pending(now=later + timedelta(hours=1)) == 0

    first, second = smtp.message_ids
    assert first == second == queued.message_id
    row = Notification.objects.get()
    assert row.status == NotificationStatus.SENT
    assert row.attempts == 2
