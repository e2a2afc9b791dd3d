"""Metrics under the web container's gunicorn (docker/gunicorn.conf.py: several sync worker
processes, preloaded): a scrape, answered by whichever worker, counts the requests that all
workers served, because each writes its values to PROMETHEUS_MULTIPROC_DIR."""

import http.client
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from prometheus_client.parser import text_string_to_metric_families

from tests.security.loadgen import ROOT, Gunicorn
from tests.security.test_load import database_url

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

REQUESTS = 24
THREADS = 8


def get(port, path, headers=None):
    """One request on a connection of its own, so the workers share them out."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def served(text, view):
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "weerbaar_http_requests_total" and sample.labels["view"] == view
    )


def test_scrape_adds_up_the_requests_of_every_gunicorn_worker(tmp_path):
    values = tmp_path / "metrics"
    values.mkdir()
    web = Gunicorn(
        database_url(),
        settings.CACHES["default"]["LOCATION"],
        workers=3,
        config=ROOT / "docker" / "gunicorn.conf.py",
        env={"PROMETHEUS_MULTIPROC_DIR": str(values)},
    )
    web.start()
    try:
        # At once from several threads: one after the other, the kernel may hand every
        # connection to the same idle worker, and the scrape would add up nothing.
        start = threading.Barrier(THREADS)

        def some():
            start.wait()
            return [get(web.port, "/health/")[0] for _ in range(REQUESTS // THREADS)]

        with ThreadPoolExecutor(THREADS) as pool:
            statuses = [s for batch in pool.map(lambda _: some(), range(THREADS)) for s in batch]
        assert len(statuses) == REQUESTS and set(statuses) <= {200, 503}
        # Through the proxy (from loopback all the same): the ordinary 404.
        proxied = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
        assert get(web.port, "/metrics", proxied)[0] == 404
        counts = set()
        for _ in range(6):
            status, text = get(web.port, "/metrics")
            assert status == 200
            counts.add(served(text, "health"))
    finally:
        web.stop()
    # Whichever worker answered, it counted every worker's requests.
    assert counts == {REQUESTS}
    writers = {path.name.split("_")[-1] for path in values.glob("counter_*.db")}
    assert len(writers) > 1, "one worker served everything: nothing was added up"
