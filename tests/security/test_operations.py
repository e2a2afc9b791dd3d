"""Operations: /health/ tells the load balancer and the operator what they need — database,
cache (Redis), Celery heartbeat, outbox backlog — and nothing about anyone's data. The
outage answers (Redis down → 200 "degraded" with ``cache: error``) are proven in
test_faults.py; the sweeps and the heartbeat in tests/weerbaar/test_health.py."""

from django.test import Client

from weerbaar import tasks
from weerbaar.constants import Role
from weerbaar.notifications import notify


def test_health_reports_each_part_and_the_backlog(gemeente_a, user_factory):
    client = Client()
    body = client.get("/health/").json()
    # No worker has beaten and no sweep has run: not "ok", but the node stays in (200).
    assert body["status"] == "degraded"
    assert body["checks"] == {"database": "ok", "cache": "ok", "celery": "unknown"}
    assert body["outbox_pending"] == 0
    assert body["sweeps"]["incidents-escalate-due"] == {"status": "unknown", "open_failures": 0}
    tasks.record_heartbeat.apply()
    user = user_factory(Role.GRIFFIER, gemeente_a)
    for n in range(3):
        notify(user, kind="t", subject="s", body="b", dedupe_key=f"health-{n}")
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["checks"]["celery"] == "ok"
    assert response.json()["outbox_pending"] == 3
    assert "no-store" in response["Cache-Control"]


def test_health_needs_no_login_and_shows_no_data(gemeente_a, user_factory):
    user = user_factory(Role.GRIFFIER, gemeente_a)
    notify(user, kind="t", subject="Onderwerp", body="Inhoud")
    text = Client().get("/health/").content.decode()
    assert user.email not in text and "Onderwerp" not in text and "Inhoud" not in text


def test_health_is_exempt_from_the_https_redirect(settings, db):
    """The load balancer probes over plain HTTP inside the platform."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    client = Client()
    assert client.get("/health/").status_code == 200
    assert client.get("/accounts/login/").status_code == 301
