"""The session reminders and the evaluation requests select on columns of the session
(``otwb.reminders``: ``reminder_at``, ``evaluation_request_at``): every save sets them,
a run moves them on, and a run with nothing due reads an empty range of their partial
indexes, whatever the number of planned or held sessions."""

import datetime as dt
from importlib import import_module

import pytest
import time_machine
from django.apps import apps as registry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from otwb import jobs, services
from otwb.constants import SessionStatus
from otwb.models import Session, SweepRecord
from otwb.reminders import SESSION_COLUMNS, refresh_sessions
from weerbaar.models import Notification

from .. import db_roles
from ..explain import plan_nodes
from ..sweep_failures import refused_row
from .factories import SessionFactory, at

pytestmark = pytest.mark.django_db
STARTS = at(2027, 3, 10, 19)
WEEK, DAY = dt.timedelta(days=7), dt.timedelta(days=1)


def column(session, name):
    return Session.objects.filter(pk=session.pk).values_list(name, flat=True).get()


def reminder(session):
    return column(session, "reminder_at")


def evaluation(session):
    return column(session, "evaluation_request_at")


def session_of(org, starts_at=STARTS):
    session = SessionFactory(starts_at=starts_at, min_vertrouwenspersonen=0)
    session.organisations.set([org])
    return session


def held(session, coordinator):
    services.transition_session(session, SessionStatus.CONFIRMED, actor=coordinator)
    return services.transition_session(
        session, SessionStatus.HELD, actor=coordinator, now=session.ends_at
    )


def reminders_of(session):
    return Notification.objects.filter(
        kind__startswith="otwb.reminder", link=f"/otwb/sessies/{session.pk}/"
    )


def test_each_reminder_is_sent_once_and_moves_the_column_on(gemeente_a, griffier_a):
    session = session_of(gemeente_a)
    assert reminder(session) == STARTS - WEEK
    with time_machine.travel(STARTS - WEEK + dt.timedelta(hours=1), tick=False):
        assert jobs.sweep_session_reminders() == 1
        assert jobs.sweep_session_reminders() == 0
    assert reminder(session) == STARTS - DAY
    with time_machine.travel(STARTS - DAY + dt.timedelta(hours=1), tick=False):
        assert jobs.sweep_session_reminders() == 1
        assert jobs.sweep_session_reminders() == 0
    assert reminder(session) is None
    assert reminders_of(session).count() == 2


def test_a_moved_session_gets_the_reminders_of_its_new_moment(coordinator, gemeente_a, griffier_a):
    session = session_of(gemeente_a)
    with time_machine.travel(STARTS - DAY + dt.timedelta(hours=1), tick=False):
        assert jobs.sweep_session_reminders() == 2
    assert reminder(session) is None
    later = STARTS + 3 * WEEK
    session = services.reschedule_session(
        session, starts_at=later, ends_at=later + dt.timedelta(hours=3), actor=coordinator
    )
    assert reminder(session) == later - WEEK
    with time_machine.travel(later - WEEK + dt.timedelta(hours=1), tick=False):
        assert jobs.sweep_session_reminders() == 1
    assert reminder(session) == later - DAY


def test_a_cancelled_session_has_no_moment_and_is_not_reminded(coordinator, gemeente_a, griffier_a):
    session = session_of(gemeente_a)
    services.transition_session(
        session, SessionStatus.CANCELLED, actor=coordinator, reason="Zaal niet beschikbaar"
    )
    assert reminder(session) is None and evaluation(session) is None
    with time_machine.travel(STARTS - DAY + dt.timedelta(hours=1), tick=False):
        assert jobs.sweep_session_reminders() == 0
    assert not reminders_of(session).exists()


def test_a_held_session_is_asked_from_the_midnight_after_its_end_once(
    coordinator, gemeente_a, griffier_a
):
    session = held(session_of(gemeente_a), coordinator)
    assert reminder(session) is None
    assert evaluation(session) == at(2027, 3, 11)
    with time_machine.travel(at(2027, 3, 10, 23, 59), tick=False):
        assert jobs.sweep_evaluation_requests() == 0
    with time_machine.travel(at(2027, 3, 11, 0, 1), tick=False):
        assert jobs.sweep_evaluation_requests() == 1
        assert jobs.sweep_evaluation_requests() == 0
    assert evaluation(session) is None


def test_a_column_earlier_than_its_moment_is_set_again_and_nobody_is_told(
    coordinator, gemeente_a, griffier_a
):
    planned = session_of(gemeente_a)
    asked = held(session_of(gemeente_a, STARTS + DAY), coordinator)
    early = at(2027, 1, 1)
    Session.objects.update(reminder_at=early)
    Session.objects.filter(pk=asked.pk).update(evaluation_request_at=early)
    told = Notification.objects.count()
    with time_machine.travel(at(2027, 2, 1), tick=False):
        assert jobs.sweep_session_reminders() == 0
        assert jobs.sweep_evaluation_requests() == 0
    assert Notification.objects.count() == told
    assert reminder(planned) == STARTS - WEEK and reminder(asked) is None
    assert evaluation(asked) == at(2027, 3, 12)


def test_a_moment_that_can_no_longer_come_is_cleared_by_the_sweep(
    coordinator, gemeente_a, griffier_a
):
    """A session that began without being reminded (never marked held), or was marked
    held more than two weeks after its end, would otherwise stay in the index."""
    forgotten = session_of(gemeente_a)
    late = held(session_of(gemeente_a, STARTS + DAY), coordinator)
    with time_machine.travel(at(2027, 4, 1), tick=False):
        assert jobs.sweep_session_reminders() == 0
        assert jobs.sweep_evaluation_requests() == 0
    assert reminder(forgotten) is None and evaluation(late) is None


def test_a_bad_session_does_not_stop_the_sweep_and_keeps_its_moment(gemeente_a, griffier_a):
    sessions = [session_of(gemeente_a, STARTS + dt.timedelta(hours=h)) for h in (-10, -7, -4)]
    bad = sessions[1]
    with (
        refused_row(SweepRecord, "object_id", bad.pk),
        time_machine.travel(STARTS - WEEK + dt.timedelta(hours=1), tick=False),
    ):
        assert jobs.sweep_session_reminders() == 2
    assert [reminder(s) is not None for s in sessions] == [True, True, True]
    assert reminder(sessions[0]) == sessions[0].starts_at - DAY
    assert reminder(bad) == bad.starts_at - WEEK  # tried again after its back-off
    assert not reminders_of(bad).exists()


def _queries(sweep, when):
    with time_machine.travel(when, tick=False), CaptureQueriesContext(connection) as ctx:
        assert sweep() == 0
    return [q["sql"] for q in ctx.captured_queries]


SWEEPS = [
    (jobs.sweep_session_reminders, '"reminder_at" <=', 1),
    (jobs.sweep_evaluation_requests, '"evaluation_request_at" <=', 1),
]


@pytest.mark.parametrize(("sweep", "read", "reads"), SWEEPS, ids=["reminders", "evaluations"])
def test_with_nothing_due_the_sweep_issues_the_same_few_queries_however_many_sessions(
    coordinator, gemeente_a, sweep, read, reads
):
    def sessions(n, first):
        for i in range(n):
            session = session_of(gemeente_a, first + dt.timedelta(days=i))
            if i % 2:
                held(session, coordinator)

    sessions(2, STARTS)
    when = at(2027, 3, 1)  # before every moment of the sessions below
    few = _queries(sweep, when)
    sessions(8, STARTS + 2 * DAY)
    many = _queries(sweep, when)
    # The run's own record (start, open failures, end) and a read of the index per pass.
    assert len(many) == len(few) <= 3 + reads
    found = [q for q in many if '"otwb_session"' in q]
    assert len(found) == reads and all(read in q for q in found)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("sweep", "index"),
    [
        (jobs.sweep_session_reminders, "session_reminder_idx"),
        (jobs.sweep_evaluation_requests, "session_evaluation_idx"),
    ],
    ids=["reminders", "evaluations"],
)
def test_with_nothing_due_the_sweep_reads_its_partial_index_not_the_sessions(
    tour, coordinator, gemeente_a, db_roles_names, sweep, index
):
    """The sweep's read, captured as it ran with nothing due, is EXPLAINed (no planner
    setting changed): its plan must read the partial index, never scan the sessions.
    The table gets what production has: 2 000 sessions held and asked long ago beside
    planned and held ones still to come, committed and ``ANALYZE``d by the table's owner
    (see the same test of the melding reminders)."""
    for days in range(3):
        session = session_of(gemeente_a, STARTS + dt.timedelta(days=days))
        if days:
            held(session, coordinator)
    Session.objects.bulk_create(
        Session(
            tour=tour,
            kind=session.kind,
            title="Gehouden",
            starts_at=at(2023, 1, 1, 19) + dt.timedelta(days=i),
            ends_at=at(2023, 1, 1, 22) + dt.timedelta(days=i),
            place="Stadhuis",
            status=SessionStatus.HELD,
        )
        for i in range(2000)
    )
    with db_roles.connect_as(db_roles_names[0], connection.settings_dict) as owner:
        owner.execute("ANALYZE otwb_session")
    reads = [
        q
        for q in _queries(sweep, at(2027, 3, 1))
        if q.startswith("SELECT") and '"otwb_session"' in q
    ]
    assert reads
    for sql in reads:
        nodes = plan_nodes(sql)
        assert index in {n.get("Index Name") for n in nodes}, nodes
        assert not [
            n
            for n in nodes
            if n["Node Type"] == "Seq Scan" and n["Relation Name"] == "otwb_session"
        ], nodes


def _states(coordinator, org):
    """Sessions at every stage: planned, reminded a week before, moved, cancelled, held
    and asked, held and not yet asked."""
    sessions = [session_of(org, STARTS + dt.timedelta(days=d)) for d in range(6)]
    with time_machine.travel(STARTS - WEEK + dt.timedelta(hours=1), tick=False):
        jobs.sweep_session_reminders()
    later = STARTS + 5 * WEEK
    services.reschedule_session(
        sessions[2], starts_at=later, ends_at=later + dt.timedelta(hours=2), actor=coordinator
    )
    services.transition_session(
        sessions[3], SessionStatus.CANCELLED, actor=coordinator, reason="Ziek"
    )
    held(sessions[4], coordinator)
    held(sessions[5], coordinator)
    with time_machine.travel(at(2027, 3, 15, 9), tick=False):
        jobs.sweep_evaluation_requests()
    held(session_of(org, STARTS + 6 * DAY), coordinator)
    return Session.objects.all()


def _columns():
    return {row["pk"]: row for row in Session.objects.values("pk", *SESSION_COLUMNS)}


def test_the_columns_refreshed_from_the_state_equal_what_the_write_path_wrote(
    coordinator, gemeente_a, griffier_a
):
    _states(coordinator, gemeente_a)
    written = _columns()
    assert sum(bool(row["reminder_at"]) for row in written.values()) == 3
    assert sum(bool(row["evaluation_request_at"]) for row in written.values()) == 2
    Session.objects.update(reminder_at=at(2000, 1, 1), evaluation_request_at=None)
    refresh_sessions(Session.objects.all())
    assert _columns() == written


def test_the_migration_fills_the_columns_as_the_write_path_writes_them(
    coordinator, gemeente_a, griffier_a
):
    """Migration 0008 carries its own copy of the definitions, with the time it runs
    at: run before the sessions' moments it gives what the services give."""
    fill = import_module("otwb.migrations.0008_session_sweep_columns").fill
    _states(coordinator, gemeente_a)
    written = _columns()
    Session.objects.update(reminder_at=None, evaluation_request_at=None)
    with time_machine.travel(at(2027, 3, 1), tick=False):
        fill(registry, None)
    assert _columns() == written
