"""Fault injection with a real Celery worker: the worker running the escalation sweep is
killed with SIGKILL half-way (no ``finally``, no rollback by Python: PostgreSQL drops the open
transaction when the socket dies). A fresh worker's sweep then finishes the job, and every due
melding is escalated exactly once: one JobRecord, one timeline entry and one outbox row per
recipient. ``test_faults.py`` covers the same promise with an exception in-process; this one
proves it holds when the process itself disappears.

The worker runs in a subprocess against the test database (hence ``transaction=True``: it
must see committed rows) and a private Redis broker. To kill it mid-sweep without touching
app code, the bootstrap below cuts the sweep into chunks of three meldingen and makes each
chunk's notification step sleep 0.2 s — inside the chunk's transaction, after its JobRecords
are claimed — so the kill lands between a claim and its commit."""

import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection
from django.utils import timezone
from kombu import Connection

from incidents.constants import EscalationLevel, JobKind, TimelineKind
from incidents.models import JobRecord, Melding, TimelineEntry
from incidents.services import sweeps
from tests.incidents.factories import make_melding
from weerbaar.constants import Position, Role
from weerbaar.models import Notification

from .services import PrivateRedis

pytestmark = pytest.mark.faults

TASK = "incidents.tasks.escalate_due"
DUE = 30
ROOT = Path(__file__).resolve().parents[2]

# Runs in the worker subprocess: slow every chunk of escalations down, then become a solo-pool
# worker (the task runs in this very process, so SIGKILL on its pid kills the sweep).
BOOTSTRAP = """
import time
import django
django.setup()
from incidents.services import sweeps
real = sweeps.notify_batch
def slow_notify_batch(*args, **kwargs):
    time.sleep(0.2)
    return real(*args, **kwargs)
sweeps.notify_batch = slow_notify_batch
sweeps.CHUNK = 3
from weerbaar.celery import app
app.worker_main(["worker", "--pool=solo", "--concurrency=1", "--loglevel=WARNING",
                 "--without-heartbeat", "--without-gossip", "--without-mingle"])
"""


@pytest.fixture
def broker(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


def worker_env(broker):
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": url,
        "CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": broker.url,
        "REDIS_URL": broker.url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }


def start_worker(broker, log):
    return subprocess.Popen(
        [sys.executable, "-c", BOOTSTRAP],
        cwd=ROOT,
        env=worker_env(broker),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def send_sweep(broker):
    """Send by name through a bare Celery app (the test settings make the project app eager)
    over an explicit connection: Celery prefers ``CELERY_BROKER_URL`` from the environment,
    which points at the shared Redis, over the ``broker`` argument."""
    client = Celery(broker=broker.url)
    try:
        with Connection(broker.url) as conn:
            client.send_task(TASK, connection=conn)
    finally:
        client.close()


def wait_until(condition, *, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def stop(process):
    if process is not None and process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    if process is not None:
        process.wait(timeout=10)


def open_transactions():
    """Other sessions on the test database holding a transaction open: the worker while it
    sleeps between claiming a JobRecord and committing it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND state = 'idle in transaction'"
        )
        return cursor.fetchone()[0]


def escalations():
    return JobRecord.objects.filter(kind=JobKind.ESCALATION)


@pytest.fixture
def due_meldingen(gemeente_a, user_factory):
    """Thirty submitted meldingen whose acknowledgement deadline passed an hour ago, routed
    to two griffiers (so "once per recipient" means something)."""
    griffiers = [user_factory(Role.GRIFFIER, gemeente_a) for _ in range(2)]
    raadslid = user_factory(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    meldingen = [make_melding(raadslid) for _ in range(DUE)]
    past = timezone.now() - timedelta(hours=1)
    Melding.objects.filter(pk__in=[m.pk for m in meldingen]).update(
        ack_deadline=past, next_escalation_at=past
    )
    return meldingen, griffiers


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_sweep_is_completed_by_next_sweep_without_duplicates(
    due_meldingen, broker, tmp_path
):
    meldingen, griffiers = due_meldingen
    first = second = None
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        try:
            first = start_worker(broker, log)
            send_sweep(broker)
            wait_until(
                lambda: escalations().count() >= 5 and open_transactions() == 1,
                timeout=30,
                what="the first sweep to be mid-escalation",
            )
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
            assert first.returncode == -signal.SIGKILL

            done_by_killed = escalations().count()
            assert 5 <= done_by_killed < DUE, log_path.read_text()
            # PostgreSQL rolls the half-done escalation back once it sees the socket close.
            wait_until(lambda: open_transactions() == 0, timeout=10, what="the rollback")
            assert escalations().count() == done_by_killed, "the dead worker acted after SIGKILL"

            second = start_worker(broker, log)
            send_sweep(broker)
            wait_until(lambda: escalations().count() >= DUE, timeout=30, what="the next sweep")
        finally:
            stop(first)
            stop(second)

    assert sweeps.escalate_due() == 0, "nothing is left due after the catch-up sweep"
    pks = {m.pk for m in meldingen}
    per_claim = Counter(escalations().values_list("melding_id", "level"))
    assert per_claim == Counter({(pk, int(EscalationLevel.REMINDER)): 1 for pk in pks})
    assert set(Melding.objects.filter(pk__in=pks).values_list("escalation_level", flat=True)) == {
        int(EscalationLevel.REMINDER)
    }
    reminders = Counter(
        TimelineEntry.objects.filter(kind=TimelineKind.REMINDER).values_list(
            "melding_id", flat=True
        )
    )
    assert reminders == Counter(dict.fromkeys(pks, 1))
    outbox = Counter(
        Notification.objects.filter(kind="incidents.escalation.1").values_list(
            "recipient_id", "link"
        )
    )
    assert len(outbox) == DUE * len(griffiers)
    assert set(outbox.values()) == {1}
    assert {recipient for recipient, _ in outbox} == {g.pk for g in griffiers}
