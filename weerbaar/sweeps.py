"""The one sweep runner: every periodic sweep acts through it.

A sweep finds its due cases itself (one indexed query) and hands them to ``Run.act`` with
a function that acts on a list of them. The runner keeps the fast path: chunks of
``CHUNK``, one transaction each, in which the sweep claims its record of acting and writes
what it does. When a chunk raises, that transaction rolls back whole and the runner acts
on the chunk's cases one at a time, each in its own transaction, so the healthy ones are
still acted on (exactly once: each claims its own record again) and only the bad one is
left. That one becomes an open ``SweepFailure``: the functioneel beheerder is told once
(inbox and email, without case content), the case is held back from the due set until its
next attempt (exponential back-off) and retried then; when it succeeds, or is no longer
due, the failure closes itself.

A lost database connection, a deadlock or a serialization failure is not the case's fault
and a failure row could not be written anyway: those propagate, the run stops, its chunk
rolls back and the next run does it (as before the runner).

Each run writes its ``SweepRun`` (started, succeeded, due, acted), which /health/ reads.
Sweeps that do not act case by case (the outbox delivery) report through ``sweep_ran``,
``record_failure`` and ``record_success``."""

import contextlib
import time
from datetime import timedelta

import structlog
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import metrics
from .batching import chunks
from .constants import Role
from .models import Membership, SweepFailure, SweepRun
from .notifications import notify_many

__all__ = [
    "CHUNK",
    "TRANSIENT",
    "UNWATCHED",
    "Run",
    "backoff",
    "record_failure",
    "record_success",
    "run",
    "sweep_ran",
    "watch",
]

log = structlog.get_logger(__name__)

# Cases per transaction: a chunk costs a handful of statements whatever its size, and row
# locks are held briefly.
CHUNK = 200
FIRST_RETRY = timedelta(minutes=5)
LAST_RETRY = timedelta(hours=6)
# Errors of the infrastructure, not of a case: they stop the run instead of being recorded.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError)
# Beat entries that are not sweeps (health judges them otherwise).
UNWATCHED = frozenset({"record-heartbeat"})


def backoff(attempts):
    """5 minutes after the first failure, doubling, at most six hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LAST_RETRY)


def _label(obj):
    """(model label, id as text) of a model instance or of a (model or label, id) pair."""
    if isinstance(obj, tuple):
        model, pk = obj
        label = model if isinstance(model, str) else model._meta.label_lower
        return label, str(pk)
    return obj._meta.label_lower, str(obj.pk)


def _error_text(error):
    """The first line of the message, short: a database error's later lines quote row
    values, which may be case content."""
    lines = str(error).strip().splitlines()
    return lines[0][:200] if lines else ""


def _alert(failure):
    """Tell every functioneel beheerder that a sweep failed on a case: which sweep and where
    to look, nothing of the case."""
    people = Membership.objects.active().filter(role=Role.FUNCTIONEEL_BEHEERDER)
    notify_many(
        sorted(set(people.values_list("user_id", flat=True))),
        kind="weerbaar.sweep_failure",
        subject=_("Een periodieke taak kon een zaak niet verwerken"),
        body=_(
            "De taak ‘%(sweep)s’ liep vast op één zaak; de andere zaken zijn verwerkt. De "
            "taak probeert het later opnieuw. Bekijk de open storingen in het portaal."
        )
        % {"sweep": failure.sweep},
        link=reverse("sweep_failures"),
        dedupe_key=f"weerbaar:sweep-failure:{failure.pk}",
    )


def record_failure(*, sweep, obj, error, now=None):
    """Record that ``sweep`` failed on ``obj`` (a model instance, or a (model or label, id)
    pair) with ``error``: a new open failure alerts the functioneel beheerders; an open one
    counts another attempt and backs off further. Returns the failure. Call it outside the
    case's rolled-back transaction."""
    now = now or timezone.now()
    object_type, object_id = _label(obj)
    error_class = type(error).__name__[:120]
    message = _error_text(error)
    metrics.sweep_case_failed(sweep)
    log.warning(
        "sweep.case_failed",
        sweep=sweep,
        object_type=object_type,
        object_id=object_id,
        error=error_class,
        exc_info=error,
    )
    for _attempt in range(2):
        try:
            with transaction.atomic():
                failure = (
                    SweepFailure.objects.open()
                    .select_for_update()
                    .filter(sweep=sweep, object_type=object_type, object_id=object_id)
                    .first()
                )
                if failure is not None:
                    failure.attempts += 1
                    failure.last_failed_at = now
                    failure.next_attempt_at = now + backoff(failure.attempts)
                    failure.error_class, failure.error_message = error_class, message
                    failure.save()
                    return failure
                failure = SweepFailure.objects.create(
                    sweep=sweep,
                    object_type=object_type,
                    object_id=object_id,
                    error_class=error_class,
                    error_message=message,
                    first_failed_at=now,
                    last_failed_at=now,
                    next_attempt_at=now + backoff(1),
                )
                _alert(failure)
                return failure
        except IntegrityError:
            # Another worker recorded the same case's failure first: count ours on theirs.
            continue
    raise RuntimeError("sweep failure could not be recorded")  # pragma: no cover


def record_success(*, sweep, obj, now=None):
    """Close the open failure of ``sweep`` on ``obj``, if any; returns how many closed."""
    object_type, object_id = _label(obj)
    return _close(sweep, object_type, [object_id], now or timezone.now())


def _close(sweep, object_type, object_ids, now):
    if not object_ids:
        return 0
    return (
        SweepFailure.objects.open()
        .filter(sweep=sweep, object_type=object_type, object_id__in=object_ids)
        .update(resolved_at=now)
    )


def _upsert_run(sweep, now, **fields):
    SweepRun.objects.bulk_create(
        [SweepRun(sweep=sweep, watched_since=now, **fields)],
        update_conflicts=True,
        unique_fields=["sweep"],
        update_fields=list(fields),
    )


def sweep_ran(*, sweep, due, acted, now=None):
    """Record a successful run of ``sweep``: ``due`` cases found, ``acted`` acted on."""
    now = now or timezone.now()
    metrics.SWEEP_RUNS.labels(sweep=sweep, outcome="succeeded").inc()
    _upsert_run(sweep, now, last_succeeded_at=now, last_due=due, last_acted=acted)


def watch(names, *, now=None):
    """Start watching sweeps that never ran (at worker start): /health/ then counts their
    interval from now instead of calling a fresh installation late."""
    now = now or timezone.now()
    SweepRun.objects.bulk_create(
        [SweepRun(sweep=name, watched_since=now) for name in names], ignore_conflicts=True
    )


def _pk(case):
    return getattr(case, "pk", case)


class Run:
    """One run of one sweep; ``act`` may be called once per pass (level, kind)."""

    def __init__(self, sweep, now):
        self.sweep = sweep
        self.now = now
        self.due = 0
        self.acted = 0
        self._open = {}  # object type -> {object id: next attempt}
        self._retrying = {}  # object type -> ids whose failure was due for a retry
        self._seen = {}  # object type -> ids found due in this run

    def _failures(self, object_type):
        if object_type not in self._open:
            self._open[object_type] = dict(
                SweepFailure.objects.open()
                .filter(sweep=self.sweep, object_type=object_type)
                .values_list("object_id", "next_attempt_at")
            )
            self._retrying[object_type] = {
                pk for pk, at in self._open[object_type].items() if at <= self.now
            }
            self._seen[object_type] = set()
        return self._open[object_type]

    def finish(self):
        """Close the failures that were due for a retry but whose case no pass of this run
        found due any more (acknowledged, closed, deleted meanwhile): nothing to do."""
        for object_type, retrying in self._retrying.items():
            gone = retrying - self._seen[object_type]
            self._closed(object_type, sorted(pk for pk in gone if pk in self._open[object_type]))

    def act(self, cases, act, *, model, key=_pk, chunk=CHUNK):
        """Act on ``cases`` (ids or objects of ``model``, ``key`` gives the id) with
        ``act(list_of_cases) -> int``, a chunk per transaction; returns the sum of what
        ``act`` returned."""
        object_type = model._meta.label_lower
        failures = self._failures(object_type)
        cases = list(cases)
        self.due += len(cases)
        held = {pk for pk, at in failures.items() if at > self.now}
        keyed = [(str(key(case)), case) for case in cases]
        self._seen[object_type].update(pk for pk, _case in keyed)
        acted = 0
        for part in chunks([(pk, case) for pk, case in keyed if pk not in held], chunk):
            try:
                with transaction.atomic():
                    acted += act([case for _pk_, case in part])
            except TRANSIENT:
                raise
            except Exception:
                log.warning("sweep.chunk_failed", sweep=self.sweep, size=len(part), exc_info=True)
                acted += self._one_by_one(part, act, object_type, failures)
            else:
                self._closed(object_type, [pk for pk, _case in part if pk in failures])
        self.acted += acted
        return acted

    def _one_by_one(self, part, act, object_type, failures):
        acted = 0
        for pk, case in part:
            try:
                with transaction.atomic():
                    acted += act([case])
            except TRANSIENT:
                raise
            except Exception as exc:
                failure = record_failure(
                    sweep=self.sweep, obj=(object_type, pk), error=exc, now=self.now
                )
                failures[pk] = failure.next_attempt_at
            else:
                if pk in failures:
                    self._closed(object_type, [pk])
        return acted

    def _closed(self, object_type, pks):
        if pks:
            _close(self.sweep, object_type, pks, self.now)
            for pk in pks:
                self._open[object_type].pop(pk, None)


@contextlib.contextmanager
def run(sweep, *, now=None):
    """``with run("incidents-escalate-due", now=now) as r: r.act(...)``: records the start,
    and on leaving without an exception the run's success, due and acted counts. The name
    is the sweep's entry in ``CELERY_BEAT_SCHEDULE``, which /health/ reads."""
    now = now or timezone.now()
    started = timezone.now()
    clock = time.perf_counter()
    _upsert_run(sweep, started, last_started_at=started)
    current = Run(sweep, now)
    try:
        yield current
        current.finish()
    except BaseException:
        metrics.sweep_finished(sweep, seconds=time.perf_counter() - clock, succeeded=False)
        raise
    metrics.sweep_finished(sweep, seconds=time.perf_counter() - clock, succeeded=True)
    finished = timezone.now()
    _upsert_run(
        sweep,
        finished,
        last_succeeded_at=finished,
        last_due=current.due,
        last_acted=current.acted,
    )
