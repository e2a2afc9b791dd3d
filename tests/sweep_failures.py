"""One bad case among healthy due cases, for any sweep: the healthy ones are acted on
exactly once, the bad one is recorded and alerted once, held back, retried after its
back-off, and closed when it finally succeeds.

A case is made bad in the database itself: a trigger that refuses the statement the sweep
writes for that one row (its claim, its update, its delete), as a corrupt row or a broken
constraint would. The tests run as the app role, which may not create triggers: the trigger
is on every table from the start (tests/db_roles.py) and a setting of the session arms it
for one row."""

import contextlib
from dataclasses import dataclass
from datetime import timedelta

import time_machine
from django.db import connection

from weerbaar.models import Notification, SweepFailure, SweepRun

from .db_roles import REFUSAL_SETTING

ALERT = "weerbaar.sweep_failure"


@contextlib.contextmanager
def refused_row(model, column, pk, event="INSERT"):
    """Make every ``event`` (INSERT, UPDATE or DELETE) on ``model`` for the row whose
    ``column`` is ``pk`` raise, until the block ends."""
    target = f"{model._meta.db_table}:{event}:{column}:{int(pk)}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, false)", [REFUSAL_SETTING, target])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, '', false)", [REFUSAL_SETTING])


@dataclass
class BadCase:
    """``run()`` runs the sweep; ``acted(pk)`` counts what it did to a case (``times`` for
    a healthy one); ``breaking()`` gives a context manager in which acting on ``bad``
    raises, or ``corrupt()`` and ``repair()`` make and mend the bad row itself."""

    sweep: str
    model: type
    run: object
    acted: object
    healthy: list
    bad: int
    times: int = 1
    breaking: object = contextlib.nullcontext
    corrupt: object = None
    repair: object = None


def _failure(case):
    return SweepFailure.objects.filter(
        sweep=case.sweep, object_type=case.model._meta.label_lower, object_id=str(case.bad)
    )


def _alerts(beheerder):
    return Notification.objects.filter(recipient=beheerder, kind=ALERT)


def _healthy_once(case):
    assert [case.acted(pk) for pk in case.healthy] == [case.times] * len(case.healthy)


def check_survives_one_bad_case(case, *, at, beheerder):
    """The whole life of a bad case in ``case.sweep``, starting at ``at``."""
    if case.corrupt is not None:
        case.corrupt()
    with case.breaking(), time_machine.travel(at, tick=False):
        case.run()
        _healthy_once(case)
        assert case.acted(case.bad) == 0
        failure = _failure(case).get()
        assert failure.resolved_at is None and failure.attempts == 1
        assert failure.next_attempt_at == at + timedelta(minutes=5)
        assert _alerts(beheerder).count() == 1
        alert = _alerts(beheerder).get()
        assert alert.link == "/storingen/" and case.sweep in alert.body
        run = SweepRun.objects.get(sweep=case.sweep)
        assert run.last_succeeded_at == at and run.last_due >= len(case.healthy) + 1

    # A second run: the bad case is held back, nothing is done twice, nobody told again.
    with case.breaking(), time_machine.travel(at + timedelta(minutes=1), tick=False):
        assert case.run() == 0
        _healthy_once(case)
        assert _failure(case).get().attempts == 1
        assert _alerts(beheerder).count() == 1

    # After the back-off it is tried again, still failing: one more attempt, no new alert.
    retry = at + timedelta(minutes=6)
    with case.breaking(), time_machine.travel(retry, tick=False):
        assert case.run() == 0
        failure = _failure(case).get()
        assert failure.attempts == 2 and failure.next_attempt_at == retry + timedelta(minutes=10)
        assert _alerts(beheerder).count() == 1

    # The cause is gone; after the next back-off the case is acted on and its failure closes.
    if case.repair is not None:
        case.repair()
    with time_machine.travel(retry + timedelta(minutes=11), tick=False):
        assert case.run() >= 1
        assert case.acted(case.bad) == case.times
        _healthy_once(case)
        assert _failure(case).get().resolved_at is not None
        assert not SweepFailure.objects.open().exists()
        assert _alerts(beheerder).count() == 1
