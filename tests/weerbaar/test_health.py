"""/health/ judges the worker by the time of its last heartbeat and each sweep by its last
successful run against its beat interval; it stays 200 ("degraded") for anything but a
database outage, so a failing sweep never takes nodes out of the load balancer."""

import socket
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client
from django.utils.module_loading import import_string

from weerbaar import sweeps, tasks
from weerbaar.celery import on_worker_ready
from weerbaar.models import SweepFailure, SweepRun

pytestmark = pytest.mark.django_db
MONDAY = datetime(2027, 3, 1, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
WATCHED = [n for n in django_settings.CELERY_BEAT_SCHEDULE if n not in sweeps.UNWATCHED]


def _all_ran(at):
    for name in WATCHED:
        sweeps.sweep_ran(sweep=name, due=0, acted=0, now=at)


def _health():
    response = Client().get("/health/")
    return response.status_code, response.json()


def test_a_fresh_heartbeat_and_sweeps_that_ran_read_ok():
    with time_machine.travel(MONDAY, tick=False):
        _all_ran(MONDAY)
        tasks.record_heartbeat.apply()
        code, body = _health()
    assert code == 200 and body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "cache": "ok", "celery": "ok"}
    assert set(body["sweeps"]) == set(WATCHED)
    assert body["sweeps"]["incidents-escalate-due"] == {
        "status": "ok",
        "last_succeeded": "2027-03-01T08:00:00+00:00",
        "due": 0,
        "open_failures": 0,
    }


def test_a_dead_worker_reads_stale_after_two_and_a_half_beats():
    with time_machine.travel(MONDAY, tick=False):
        tasks.record_heartbeat.apply()
    _all_ran(MONDAY)
    with time_machine.travel(MONDAY + timedelta(seconds=149), tick=False):
        assert _health()[1]["checks"]["celery"] == "ok"
    with time_machine.travel(MONDAY + timedelta(seconds=151), tick=False):
        code, body = _health()
    assert code == 200 and body["status"] == "degraded"
    assert body["checks"]["celery"] == "stale" and body["heartbeat_age_seconds"] == 151


def test_a_worker_that_just_started_is_not_stale():
    with time_machine.travel(MONDAY, tick=False):
        on_worker_ready()
        code, body = _health()
    assert code == 200
    assert body["checks"]["celery"] == "ok"
    # Every sweep is watched from the worker's start; none is late yet.
    assert SweepRun.objects.filter(sweep__in=WATCHED).count() == len(WATCHED)
    assert {s["status"] for s in body["sweeps"].values()} == {"ok"}
    assert body["status"] == "ok"


def test_open_failures_make_it_degraded():
    with time_machine.travel(MONDAY, tick=False):
        _all_ran(MONDAY)
        tasks.record_heartbeat.apply()
        SweepFailure.objects.create(
            sweep="veiligwonen-sla",
            object_type="veiligwonen.application",
            object_id="424242",
            error_class="ValueError",
            first_failed_at=MONDAY,
            last_failed_at=MONDAY,
            next_attempt_at=MONDAY + timedelta(minutes=5),
        )
        code, body = _health()
    assert code == 200 and body["status"] == "degraded"
    assert body["sweeps"]["veiligwonen-sla"]["status"] == "failing"
    assert body["sweeps"]["veiligwonen-sla"]["open_failures"] == 1
    assert "424242" not in str(body)


def test_a_sweep_that_did_not_succeed_within_twice_its_interval_is_late():
    _all_ran(MONDAY)
    with time_machine.travel(MONDAY + timedelta(minutes=9), tick=False):
        tasks.record_heartbeat.apply()
        assert _health()[1]["sweeps"]["incidents-escalate-due"]["status"] == "ok"
    with time_machine.travel(MONDAY + timedelta(minutes=11), tick=False):
        tasks.record_heartbeat.apply()
        code, body = _health()
    assert code == 200 and body["status"] == "degraded"
    assert body["sweeps"]["incidents-escalate-due"]["status"] == "late"
    # A daily sweep that ran this morning is not late.
    assert body["sweeps"]["veiligwonen-rescore"]["status"] == "ok"


def test_a_weekday_sweep_is_not_late_after_the_weekend():
    """Its interval after a Friday run is the weekend: twice that is not yet over on
    Tuesday."""
    friday = MONDAY - timedelta(days=3) - timedelta(minutes=35)  # 08:25, its firing time
    sweeps.sweep_ran(sweep="incidents-remind-idle", due=0, acted=0, now=friday)
    with time_machine.travel(MONDAY + timedelta(days=1), tick=False):
        assert _health()[1]["sweeps"]["incidents-remind-idle"]["status"] == "ok"
    with time_machine.travel(MONDAY + timedelta(days=3, hours=1), tick=False):
        assert _health()[1]["sweeps"]["incidents-remind-idle"]["status"] == "late"


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_with_redis_down_health_answers_degraded_with_the_heartbeat_unknown(settings):
    _all_ran(MONDAY)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    code, body = _health()
    assert code == 200 and body["status"] == "degraded"
    assert body["checks"] == {"database": "ok", "cache": "error", "celery": "unknown"}
    assert body["heartbeat_age_seconds"] is None


def test_every_sweep_of_the_beat_schedule_reports_its_run_under_its_own_name():
    """Health finds a sweep's runs by its beat entry's name: a sweep that recorded them
    under another name would read "late" for ever."""
    for name in WATCHED:
        import_string(django_settings.CELERY_BEAT_SCHEDULE[name]["task"]).run()
    assert set(SweepRun.objects.values_list("sweep", flat=True)) == set(WATCHED)
    assert not SweepRun.objects.filter(last_succeeded_at__isnull=True).exists()
