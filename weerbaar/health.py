"""What /health/ reports: the database, the cache, the worker's heartbeat, each sweep of the
beat schedule and the outbox backlog.

Statuses and codes, for the load balancer and the operator:

* ``error`` (HTTP 503) only when the database does not answer: this node cannot take a
  report, so it should be taken out.
* ``degraded`` (HTTP 200) while Redis is down, the heartbeat is stale or unknown, a sweep
  has not succeeded within twice its interval, or a sweep has open failures. The node still
  takes reports (the outbox and the sweeps catch up), so it stays in; someone has to look.
* ``ok`` (HTTP 200) otherwise.

Nothing of a case is shown: sweep names, counts and times."""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Count
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .backends.cache import primary_status
from .constants import NotificationStatus
from .models import Notification, SweepFailure, SweepRun
from .sweeps import UNWATCHED

__all__ = ["HEARTBEAT_ENTRY", "HEARTBEAT_KEY", "STALE_AFTER", "interval", "report"]

HEARTBEAT_KEY = "weerbaar:celery-heartbeat"
HEARTBEAT_ENTRY = "record-heartbeat"
# The heartbeat is stale after this many of its intervals: one late beat is not an alarm.
STALE_AFTER = 2.5


def interval(schedule, since):
    """The time from ``since`` to the schedule's next run after it: a fixed interval, or
    for a crontab the gap to its next firing (a weekday sweep's Friday gap is the weekend)."""
    if isinstance(schedule, timedelta):
        return schedule
    if hasattr(schedule, "run_every") and not hasattr(schedule, "remaining_delta"):
        return schedule.run_every
    start, delta, _now = schedule.remaining_delta(since)
    return (start + delta) - since


def _database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "error"
    return "ok"


def _cache():
    """Redis itself, never its database fallback: the fallback must not hide an outage."""
    try:
        return primary_status()
    except Exception:  # any client error means the cache is unusable: reported, not raised
        return "error"


def _heartbeat(now):
    """(status, age in seconds): ``unknown`` without a readable cache or a heartbeat."""
    try:
        beat = parse_datetime(cache.get(HEARTBEAT_KEY) or "")
    except Exception:  # Redis down: the heartbeat cannot be known
        return "unknown", None
    if beat is None:
        return "unknown", None
    age = (now - beat).total_seconds()
    every = interval(settings.CELERY_BEAT_SCHEDULE[HEARTBEAT_ENTRY]["schedule"], beat)
    return ("ok" if age <= STALE_AFTER * every.total_seconds() else "stale"), round(age)


def _sweeps(now):
    runs = {run.sweep: run for run in SweepRun.objects.all()}
    failing = dict(
        SweepFailure.objects.open()
        .values("sweep")
        .annotate(n=Count("pk"))
        .values_list("sweep", "n")
    )
    report = {}
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        if name in UNWATCHED:
            continue
        run = runs.get(name)
        open_failures = failing.get(name, 0)
        if run is None:
            report[name] = {"status": "unknown", "open_failures": open_failures}
            continue
        since = run.last_succeeded_at or run.watched_since
        late = now > since + 2 * interval(entry["schedule"], since)
        status = "late" if late else "failing" if open_failures else "ok"
        report[name] = {
            "status": status,
            "last_succeeded": run.last_succeeded_at.isoformat() if run.last_succeeded_at else None,
            "due": run.last_due,
            "open_failures": open_failures,
        }
    return report


def report(now=None):
    """(HTTP status, JSON body) of /health/."""
    now = now or timezone.now()
    checks = {"database": _database(), "cache": _cache()}
    if checks["cache"] == "ok":
        checks["celery"], age = _heartbeat(now)
    else:
        checks["celery"], age = "unknown", None
    body = {"checks": checks, "heartbeat_age_seconds": age}
    if checks["database"] != "ok":
        return 503, {"status": "error", **body, "sweeps": None, "outbox_pending": None}
    sweeps = _sweeps(now)
    body["sweeps"] = sweeps
    body["outbox_pending"] = Notification.objects.filter(status=NotificationStatus.PENDING).count()
    fine = (
        checks["cache"] == "ok"
        and checks["celery"] == "ok"
        and all(s["status"] == "ok" for s in sweeps.values())
    )
    return 200, {"status": "ok" if fine else "degraded", **body}
