"""The working pages on two (or more) load databases in one run, request by request in turns
(``bench --databases weerbaar_load,weerbaar_load_10``): on a shared machine whose speed
changes from minute to minute, only figures taken in the same minutes show whether a page
stays flat when the data grows tenfold.

Each database gets its own connection and its own cache key prefix (the same user id is a
different person in each); while a database is measured, its connection and cache are
swapped in as ``default``, so the views, the test client and the rolled-back transaction
all use them. Each page
opens its transaction and warms up on every database, then the timed requests alternate
between them (the order flips each round), then the queries are counted on each."""

import contextlib
import time
from dataclasses import dataclass

from django.core.cache import caches
from django.db import connections, transaction
from django.db.utils import load_backend
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from . import actors
from .pages import SCENARIOS, WORKING_PAGES, Rollback, request_checked
from .sessions import logged_in_client
from .stats import Result, selected

__all__ = ["TARGETS", "Scale", "compare_pages", "open_scales", "verdict"]

# The targets for a working page at the largest scale, and its growth from the
# smallest: p50 of the largest over p50 of the smallest.
TARGETS = {"p50": 25, "p95": 60, "queries": 12, "ratio": 1.5}


@dataclass
class Scale:
    label: str
    database: str
    wrapper: object  # a DatabaseWrapper of its own
    cache: object  # the default cache with a key prefix of its own
    cast: actors.Cast | None = None
    meldingen: int = 0

    @contextlib.contextmanager
    def active(self):
        """This database and cache as ``default`` inside the block."""
        saved = connections["default"], caches["default"]
        connections["default"], caches["default"] = self.wrapper, self.cache
        try:
            yield
        finally:
            connections["default"], caches["default"] = saved

    def close(self):
        self.wrapper.close()


def open_scales(databases, labels):
    """A ``Scale`` per database name, connected with the default's settings otherwise."""
    base = connections["default"].settings_dict
    backend = load_backend(base["ENGINE"])
    scales = []
    for database, label in zip(databases, labels, strict=True):
        cache = caches.create_connection("default")
        cache.key_prefix = f"{cache.key_prefix}:bench:{database}"
        wrapper = backend.DatabaseWrapper({**base, "NAME": database}, "default")
        scales.append(Scale(label, database, wrapper, cache))
    return scales


class _Run:
    """One page on one database: its transaction open, its client logged in."""

    def __init__(self, scenario, scale):
        self.scenario, self.scale = scenario, scale
        self.url = scenario.url(scale.cast)
        self.times, self.queries, self.atomic = [], None, None

    def start(self, warmup):
        with self.scale.active():
            atomic = transaction.atomic()
            atomic.__enter__()
            self.atomic = atomic
            user = getattr(self.scale.cast, self.scenario.actor)
            self.client = logged_in_client(user)
            self.data = self.scenario.data(self.scale.cast) if self.scenario.data else None
            for _ in range(warmup):
                self._request()

    def _request(self):
        try:
            request_checked(self.client, self.scenario, self.url, self.data)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc} in {self.scale.database}") from exc

    def time_one(self):
        with self.scale.active():
            start = time.perf_counter()
            self._request()
            self.times.append(time.perf_counter() - start)

    def finish(self, count):
        """Count the queries of one more request (unless a request failed), then roll
        everything back."""
        if self.atomic is None:
            return
        with self.scale.active():
            try:
                if count:
                    self.scale.wrapper.queries_log.clear()
                    with CaptureQueriesContext(self.scale.wrapper) as ctx:
                        self._request()
                    self.queries = len(ctx.captured_queries)
            finally:
                self.atomic.__exit__(Rollback, Rollback(), None)

    def result(self):
        if not self.times:
            return Result(self.scenario.group, self.scenario.name, note="n/a")
        return Result.from_times(self.scenario.group, self.scenario.name, self.times, self.queries)


def _measure(scenario, scales, repeat, warmup):
    runs = [_Run(scenario, scale) for scale in scales]
    missing = [run.scale.database for run in runs if run.url is None]
    if missing:
        note = f"no data for it in {', '.join(missing)}"
        return [Result(scenario.group, scenario.name, note=note) for _ in scales]
    completed = False
    with override_settings(**scenario.settings):
        try:
            for run in runs:
                run.start(warmup)
            for n in range(repeat):
                for run in runs if n % 2 == 0 else runs[::-1]:
                    run.time_one()
            completed = True
        except RuntimeError as exc:
            # A page that fails on one database (a partly seeded one has no OTWB tour
            # yet) is reported as such; the other pages are still measured.
            return [Result(scenario.group, scenario.name, note=str(exc)) for _ in scales]
        finally:
            for run in runs:
                run.finish(count=completed)
    return [run.result() for run in runs]


def compare_pages(scales, repeat, *, warmup=3, only=(), log=print):
    """{page name: [Result per scale]} for the working pages."""
    from incidents.models import Melding

    for scale in scales:
        with scale.active():
            scale.cast = actors.cast()
            scale.meldingen = Melding.objects.count()
    by_name = {s.name: s for s in SCENARIOS}
    rows = {}
    for name in WORKING_PAGES:
        if not selected(name, only):
            continue
        rows[name] = _measure(by_name[name], scales, repeat, warmup)
        figures = ", ".join(
            f"{scale.label}: " + (f"p50 {r.p50_ms} ms, {r.queries} q" if r.runs else "n/a")
            for scale, r in zip(scales, rows[name], strict=True)
        )
        log(f"  {name}: {figures}")
    return rows


def verdict(results):
    """(ratio, [targets missed]) of one page: the largest scale against the targets, and
    its p50 against the smallest's."""
    first, last = results[0], results[-1]
    if first.p50_ms is None or last.p50_ms is None:
        return None, ["n/a"]
    ratio = round(last.p50_ms / first.p50_ms, 2) if first.p50_ms else None
    values = {"p50": last.p50_ms, "p95": last.p95_ms, "queries": last.queries, "ratio": ratio}
    return ratio, [what for what, limit in TARGETS.items() if not values[what] <= limit]
