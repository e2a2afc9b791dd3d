"""Timing every task of ``settings.CELERY_BEAT_SCHEDULE``: first once to catch up with
whatever became due since seeding, then ``repeat`` times with nothing due, then ``due_repeat``
times with 1 000 objects made due (see ``due.MAKERS``). All of it inside a transaction that
is rolled back: the benchmark leaves the data as it found it."""

import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .due import MAKERS
from .stats import Result, selected

__all__ = ["measure_sweeps"]


class Rollback(Exception):
    pass


class QueryCounter:
    """Counts statements through ``execute_wrapper``: cheap enough to leave on while
    timing, and exact beyond the 9 000 queries ``CaptureQueriesContext`` keeps."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _timed(task):
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        acted = task.run()
        elapsed = time.perf_counter() - start
    return elapsed, acted, counter.count


def measure_sweep(name, path, *, repeat, due=1000, due_repeat=3):
    task = import_string(path)
    results = []
    try:
        with transaction.atomic():
            task.run()  # catch up with what became due since seeding
            runs = [_timed(task) for _ in range(repeat)]
            results.append(
                Result.from_times(
                    "sweep, nothing due", name, [r[0] for r in runs], max(r[2] for r in runs)
                )
            )
            maker = MAKERS.get(path)
            if maker is None:
                results.append(Result("sweep, 1 000 due", name, note="n/a (no data to make due)"))
                raise Rollback
            runs, made = [], 0
            for _ in range(due_repeat):
                sid = transaction.savepoint()
                made = maker(timezone.now(), due)
                runs.append(_timed(task))
                transaction.savepoint_rollback(sid)
            note = f"{made} made due, acted on {runs[-1][1]}"
            results.append(
                Result.from_times("sweep, 1 000 due", name, [r[0] for r in runs], runs[-1][2], note)
            )
            raise Rollback
    except Rollback:
        pass
    return results


def measure_sweeps(repeat, due_repeat=3, log=print, only=()):
    results = []
    for name, entry in sorted(settings.CELERY_BEAT_SCHEDULE.items()):
        if not selected(name, only):
            continue
        for result in measure_sweep(name, entry["task"], repeat=repeat, due_repeat=due_repeat):
            log(
                f"  {result.group} {name}: p50 {result.p50_ms} ms, {result.queries} q {result.note}"
            )
            results.append(result)
    return results
