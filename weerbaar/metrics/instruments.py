"""The counters and histograms. Each process counts its own; with
``PROMETHEUS_MULTIPROC_DIR`` set (the image sets it) every process writes its values to a
file there and a scrape adds up the files of all of a container's processes, the gunicorn
workers' or the Celery pool's (``exposition.registry``)."""

from prometheus_client import Counter, Histogram

__all__ = [
    "LOGIN_FAILURES",
    "REQUESTS",
    "REQUEST_LATENCY",
    "SWEEP_CASE_FAILURES",
    "SWEEP_DURATION",
    "SWEEP_RUNS",
    "login_failed",
    "sweep_case_failed",
    "sweep_finished",
]

REQUESTS = Counter(
    "weerbaar_http_requests",
    "HTTP requests answered, by route name, method and status code.",
    ["view", "method", "status"],
)
# Pages take tens of milliseconds; PDFs and exports seconds.
REQUEST_LATENCY = Histogram(
    "weerbaar_http_request_duration_seconds",
    "Time from the request reaching Django to its response, by route name and method.",
    ["view", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
SWEEP_RUNS = Counter(
    "weerbaar_sweep_runs",
    "Runs of a periodic sweep, by outcome (succeeded, or failed: the run stopped).",
    ["sweep", "outcome"],
)
SWEEP_DURATION = Histogram(
    "weerbaar_sweep_duration_seconds",
    "Duration of a sweep run, by sweep.",
    ["sweep"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
)
SWEEP_CASE_FAILURES = Counter(
    "weerbaar_sweep_case_failures",
    "Cases a sweep could not act on (each attempt), by sweep.",
    ["sweep"],
)
LOGIN_FAILURES = Counter(
    "weerbaar_login_failures",
    "Failed sign-ins, by stage: password, or the second factor (mfa).",
    ["stage"],
)


def sweep_finished(sweep, *, seconds, succeeded):
    SWEEP_RUNS.labels(sweep=sweep, outcome="succeeded" if succeeded else "failed").inc()
    SWEEP_DURATION.labels(sweep=sweep).observe(seconds)


def sweep_case_failed(sweep):
    SWEEP_CASE_FAILURES.labels(sweep=sweep).inc()


def login_failed(stage):
    LOGIN_FAILURES.labels(stage=stage).inc()
