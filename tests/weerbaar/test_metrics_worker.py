"""Metrics of a real Celery worker with a prefork pool: the sweeps run in the pool's child
processes, and the worker's own listener (METRICS_WORKER_PORT) adds their counts up."""

import http.client
import subprocess
import sys

import pytest
from celery import Celery
from kombu import Connection

from tests.security.services import free_port
from tests.security.test_worker_kill import ROOT, broker, stop, wait_until, worker_env

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

__all__ = ["broker"]  # the fixture, imported for the test below

TASK = "weerbaar.tasks.purge_expired_invitations"
RUNS = 4


def scrape(port, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/metrics", headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read().decode()
    except OSError:
        return None, ""
    finally:
        conn.close()


def runs(text):
    line = 'weerbaar_sweep_runs_total{outcome="succeeded",sweep="expire-invitations"} '
    for row in text.splitlines():
        if row.startswith(line):
            return float(row[len(line) :])
    return 0.0


def test_worker_listener_adds_up_the_sweeps_of_its_pool_processes(broker, tmp_path):
    values = tmp_path / "metrics"
    values.mkdir()
    port = free_port()
    env = {
        **worker_env(broker),
        "PROMETHEUS_MULTIPROC_DIR": str(values),
        "METRICS_WORKER_PORT": str(port),
    }
    log = (tmp_path / "worker.log").open("wb")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "weerbaar",
            "worker",
            "--pool=prefork",
            "--concurrency=2",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_until(lambda: scrape(port)[0] == 200, timeout=60, what="the worker's listener")
        client = Celery(broker=broker.url)
        try:
            with Connection(broker.url) as conn:
                for _ in range(RUNS):
                    client.send_task(TASK, connection=conn)
        finally:
            client.close()
        wait_until(lambda: runs(scrape(port)[1]) == RUNS, timeout=60, what="four sweep runs")
        status, _text = scrape(port, {"X-Forwarded-For": "203.0.113.7"})
        assert status == 404
    finally:
        stop(worker)
        log.close()
    assert list(values.glob("*.db")), "the pool wrote no metric files"
