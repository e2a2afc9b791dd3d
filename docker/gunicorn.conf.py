"""gunicorn settings of the web container; ``manage.py bench`` runs its load test with the
same file (and its own address and number of workers on the command line).

Measured with ``manage.py bench`` on the scale-1 load data, 2 workers on 2 cores shared with
PostgreSQL (docs/performance.md):

* Sync workers, one request at a time per process. ``gthread`` (2 workers x 4 threads) served
  fewer requests (50-59/s against 72-87/s): a page is mostly Python, so threads of one
  process wait for each other's GIL, and while a worker waits for PostgreSQL the core is
  busy with PostgreSQL itself. More throughput means more processes (WEB_CONCURRENCY, or
  more containers), not threads.
* ``preload_app``: the application is imported once, in the master, and each worker is a
  fork of it. A worker replaced after ``max_requests`` then starts in milliseconds; without
  it every replacement imported Django and the portal again (about a second of CPU per
  thousand requests, 50 instead of 80 requests/s in the load test). Nothing opens a
  database or Redis connection at import time, so no connection is shared by the forks.
  Code changes need a restart of the container (a HUP does not reload preloaded code).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Processes: WEB_CONCURRENCY (3 in the image), each with its own database connection.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "sync"
preload_app = True
timeout = 60
# A worker is replaced after about a thousand requests, so a slow leak cannot grow for ever.
max_requests = 1000
max_requests_jitter = 100
accesslog = "-"
# Invitation, password-reset and iCal links are secrets: the access and error logs write
# them redacted and without query strings (weerbaar/redaction.py).
logger_class = "weerbaar.gunicorn_logger.RedactingLogger"


def child_exit(server, worker):
    """A replaced worker's metric files stay (its counts still count) but its live gauges
    go: prometheus_client's multiprocess mode (PROMETHEUS_MULTIPROC_DIR, set in the image)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
