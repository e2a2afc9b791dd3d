"""Fault injection: parts of the platform fail while people work; nothing is lost, nothing is
done twice. Each test starts its own throwaway service (see ``services.py``) and kills that,
never a shared one. Marked ``faults``: ``make test`` runs them in the serial second pass."""

import shutil
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from incidents.models import Melding
from incidents.services import sweeps
from tests.incidents.factories import make_melding
from tests.incidents.helpers import form_data
from weerbaar import tasks
from weerbaar.constants import NotificationStatus, Position, Role
from weerbaar.models import Notification
from weerbaar.notifications import deliver_pending

from .services import PrivateRedis

pytestmark = pytest.mark.faults


@pytest.fixture
def redis(tmp_path, settings):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "faults",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.CELERY_BROKER_URL = server.url
    yield server
    server.stop()


def test_redis_down_while_filing_keeps_the_melding_and_delivers_once_when_back(
    redis, gemeente_a, user_factory, client_for
):
    raadslid = user_factory(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    griffier = user_factory(Role.GRIFFIER, gemeente_a)
    client = client_for(raadslid)
    redis.stop()

    response = client.post(reverse("incidents:new"), form_data())
    assert response.status_code == 302, "filing must not depend on Redis"
    melding = Melding.objects.get(reporter=raadslid)
    assert melding.status == "submitted"
    queued = Notification.objects.filter(recipient=griffier)
    assert queued.count() == 1 and queued.get().status == NotificationStatus.PENDING
    health = client.get("/health/")
    # Degraded, not down: the node still takes reports, so it stays in the load balancer.
    assert health.status_code == 200 and health.json()["status"] == "degraded"
    assert health.json()["checks"]["cache"] == "error"
    assert health.json()["outbox_pending"] >= 1

    redis.start()
    tasks.record_heartbeat.apply()
    assert client.get("/health/").json()["checks"] == {
        "database": "ok",
        "cache": "ok",
        "celery": "ok",
    }
    tasks.deliver_notifications.apply()
    tasks.deliver_notifications.apply()
    to_griffier = [m for m in mail.outbox if m.to == [griffier.email]]
    assert len(to_griffier) == 1
    assert queued.get().status == NotificationStatus.SENT


@pytest.fixture
def overdue(gemeente_a, user_factory):
    """Three submitted meldingen of raadsleden whose acknowledgement deadline has passed."""
    user_factory(Role.GRIFFIER, gemeente_a)
    reporters = [user_factory(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID) for _ in range(3)]
    meldingen = [make_melding(r) for r in reporters]
    return meldingen, timezone.now() + timedelta(days=7)


def escalation_notifications():
    return Notification.objects.filter(kind__startswith="incidents.escalation")


@pytest.mark.django_db(transaction=True)
def test_sweep_crashing_after_the_first_chunk_is_completed_by_the_next_run(overdue, monkeypatch):
    meldingen, later = overdue
    monkeypatch.setattr(sweeps, "CHUNK", 1)
    real = sweeps._escalate_chunk
    calls = []

    def crash_after_first(ids, now, recipients):
        if calls:
            # The worker loses its database connection: not the melding's fault, so the
            # sweep runner stops the run instead of recording a failed case.
            raise ConnectionError("worker lost its database connection")
        calls.append(ids)
        return real(ids, now, recipients)

    monkeypatch.setattr(sweeps, "_escalate_chunk", crash_after_first)
    with pytest.raises(ConnectionError):
        sweeps.escalate_due(now=later)
    assert Melding.objects.filter(escalation_level=1).count() == 1
    assert escalation_notifications().count() == 1
    monkeypatch.setattr(sweeps, "_escalate_chunk", real)

    assert sweeps.escalate_due(now=later) == len(meldingen) - 1
    assert sweeps.escalate_due(now=later) == 0
    assert Melding.objects.filter(escalation_level=1).count() == len(meldingen)
    assert escalation_notifications().count() == len(meldingen)


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_act_once_per_melding(overdue):
    meldingen, later = overdue
    barrier = threading.Barrier(4)
    done = []

    def run():
        try:
            barrier.wait()
            done.append(sweeps.escalate_due(now=later))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sum(done) == len(meldingen)
    assert escalation_notifications().count() == len(meldingen)
    assert Melding.objects.filter(escalation_level=1).count() == len(meldingen)


def test_mail_server_refusing_leaves_failed_items_for_the_operator_to_retry(
    gemeente_a, bzk, user_factory, client_for, settings
):
    griffier = user_factory(Role.GRIFFIER, gemeente_a)
    make_melding(user_factory(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    now = timezone.now()
    for _attempt in range(3):
        assert deliver_pending(now=now) == 0
        now += timedelta(hours=7)  # past the longest backoff
    stuck = Notification.objects.get(recipient=griffier)
    assert stuck.status == NotificationStatus.FAILED and stuck.attempts == 3
    assert stuck.last_error  # the exception's name, for the operator

    beheerder = user_factory(Role.FUNCTIONEEL_BEHEERDER, bzk, is_staff=True, is_superuser=True)
    operator = client_for(beheerder)
    page = operator.get("/beheer/weerbaar/notification/", {"status__exact": "failed"})
    assert page.status_code == 200
    assert griffier.email in page.content.decode() or str(griffier) in page.content.decode()
    operator.post(
        "/beheer/weerbaar/notification/",
        {"action": "retry_now", "_selected_action": [stuck.pk]},
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver_pending() >= 1
    assert Notification.objects.get(pk=stuck.pk).status == NotificationStatus.SENT
    assert [m for m in mail.outbox if m.to == [griffier.email]]
