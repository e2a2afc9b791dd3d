"""The text a scrape receives: this container's counters and histograms (added up over
its processes in multiprocess mode) and the database gauges."""

import os

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from .collectors import DatabaseCollector

__all__ = ["CONTENT_TYPE_LATEST", "exposition", "registry"]


def registry(*, database=True):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        scraped = CollectorRegistry()
        MultiProcessCollector(scraped)
    else:
        # One process (runserver, tests, the embedded mode): its own default registry.
        scraped = CollectorRegistry()
        scraped.register(_Default())
    if database:
        scraped.register(DatabaseCollector())
    return scraped


class _Default:
    def collect(self):
        return REGISTRY.collect()


def exposition(*, database=True):
    return generate_latest(registry(database=database))
