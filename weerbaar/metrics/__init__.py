"""Prometheus metrics of the portal (docs/operations.md, "Metrics and error reporting").

Counters and histograms live in ``instruments``; what is read from the database at scrape
time (backlogs, sweep state) in ``collectors``; who may read them in ``access``; the
endpoint and the per-view request metrics in ``middleware``; the Celery worker's own
listener in ``listener``. No label ever holds a person, an id or a URL: views are named by
their route name, sweeps by their beat entry."""

from .collectors import register_collector
from .instruments import (
    LOGIN_FAILURES,
    REQUEST_LATENCY,
    REQUESTS,
    SWEEP_CASE_FAILURES,
    SWEEP_DURATION,
    SWEEP_RUNS,
    login_failed,
    sweep_case_failed,
    sweep_finished,
)

__all__ = [
    "LOGIN_FAILURES",
    "REQUESTS",
    "REQUEST_LATENCY",
    "SWEEP_CASE_FAILURES",
    "SWEEP_DURATION",
    "SWEEP_RUNS",
    "login_failed",
    "register_collector",
    "sweep_case_failed",
    "sweep_finished",
]
