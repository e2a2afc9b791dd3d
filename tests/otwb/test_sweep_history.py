"""The OTWB sweeps leave out what they did before with ``NOT EXISTS`` (``jobs._done``):
one probe of the records' unique index per row in the due range, so a run reads none of
the records of earlier runs, however long the history. (A ``NOT IN`` over the records of
the kind hashed all of them on every run.)"""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from otwb import jobs, services
from otwb.constants import SweepKind, TrajectStatus
from otwb.models import SweepRecord, Traject

from .. import db_roles
from ..explain import plan_nodes
from ..factories import OrganisationFactory
from .factories import SessionFactory, at


def _reminded_session(tour):
    session = SessionFactory(tour=tour, starts_at=at(2027, 3, 10, 8))
    return "session", session.pk, (SweepKind.REMINDER_7D, SweepKind.REMINDER_1D)


def _nudged_traject(tour):
    # A gemeente of its own: a transactional test before this one on the same database
    # flushed the organisations the migrations loaded.
    OrganisationFactory()
    services.create_trajecten(tour)
    traject = Traject.objects.filter(tour=tour).order_by("pk").first()
    Traject.objects.filter(pk=traject.pk).update(
        status=TrajectStatus.VOORGESPREK_HELD, status_changed_at=at(2027, 1, 5)
    )
    return "traject", traject.pk, (SweepKind.NO_SESSION_NUDGE,)


CASES = {
    "session-reminders": (jobs.sweep_session_reminders, _reminded_session, at(2027, 3, 9, 20)),
    "no-session-nudges": (jobs.sweep_no_session_nudges, _nudged_traject, at(2027, 3, 1, 10)),
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("case", sorted(CASES))
def test_with_nothing_due_the_records_of_earlier_runs_are_not_read(tour, db_roles_names, case):
    """Done before (its record is there) beside 20 000 records of earlier runs, committed
    and ``ANALYZE``d by the tables' owner: the plan of every read of the sweep that names
    the records probes their unique index and never scans them."""
    sweep, make, when = CASES[case]
    object_type, object_id, kinds = make(tour)
    history = [
        SweepRecord(object_type=object_type, object_id=10**6 + i, kind=kind, at=at(2026, 1, 5))
        for i in range(10_000)
        for kind in (*kinds, SweepKind.EVALUATION_REQUEST)
    ]
    SweepRecord.objects.bulk_create(history, batch_size=5000)
    SweepRecord.objects.bulk_create(
        SweepRecord(object_type=object_type, object_id=object_id, kind=kind, at=at(2027, 1, 6))
        for kind in kinds
    )
    with db_roles.connect_as(db_roles_names[0], connection.settings_dict) as owner:
        # The swept table too: the session reminders read a range of a partial index of
        # the sessions, which a table never analyzed is guessed to hold hundreds of rows of.
        owner.execute("ANALYZE otwb_sweeprecord, otwb_session, otwb_traject")
    with time_machine.travel(when, tick=False), CaptureQueriesContext(connection) as ctx:
        assert sweep() == 0
    reads = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith("SELECT") and '"otwb_sweeprecord"' in q["sql"]
    ]
    assert reads
    for sql in reads:
        nodes = plan_nodes(sql)
        records = [n for n in nodes if n.get("Relation Name") == "otwb_sweeprecord"]
        assert records, nodes
        assert {n["Node Type"] for n in records} <= {"Index Only Scan", "Index Scan"}, nodes
        assert {n.get("Index Name") for n in records} == {"sweep_once_per_object_kind"}, nodes
