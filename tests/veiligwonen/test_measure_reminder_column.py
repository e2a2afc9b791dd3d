"""The measure-reminder sweep selects on a "next reminder at" column of the application
(``veiligwonen.reminders``): the write path sets it, a reminder moves it on, and a run with
nothing due reads an empty range of its partial index, whatever the number of cases with
measures open."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from veiligwonen import services
from veiligwonen.catalogue import load_catalogue
from veiligwonen.constants import MeasureStatus, Status
from veiligwonen.models import Application, Measure, MeasureType
from veiligwonen.reminders import refresh

from .. import db_roles
from ..explain import plan_nodes
from .factories import submit, to_issued

pytestmark = pytest.mark.django_db
MONDAY = datetime(2027, 3, 1, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
DAY = timedelta(days=1)


def column(app):
    return Application.objects.filter(pk=app.pk).values_list("measure_reminder_at", flat=True).get()


def issued(cast, n=1):
    with time_machine.travel(MONDAY, tick=False):
        return [to_issued(cast, submit(cast)) for _ in range(n)]


def test_issuing_the_advice_sets_the_first_reminder_and_each_reminder_moves_it_on(cast):
    (app,) = issued(cast)
    assert Application.objects.get(pk=submit(cast).pk).measure_reminder_at is None
    assert column(app) == app.advice_issued_at + 30 * DAY
    with time_machine.travel(MONDAY + 31 * DAY, tick=False):
        assert services.remind_open_measures() == 1
    assert column(app) == app.advice_issued_at + 60 * DAY
    with time_machine.travel(MONDAY + 61 * DAY, tick=False):
        assert services.remind_open_measures() == 1
    assert column(app) is None


def test_no_reminder_once_no_measure_is_planned(cast):
    (app,) = issued(cast)
    measures = list(Measure.objects.filter(advice__application=app))
    services.update_measure(measures[0], actor=cast.secretaris, status=MeasureStatus.DONE)
    assert column(app) == app.advice_issued_at + 30 * DAY  # one still planned
    services.update_measure(measures[1], actor=cast.secretaris, status=MeasureStatus.DONE)
    assert Application.objects.get(pk=app.pk).status == Status.COMPLETED
    assert column(app) is None


def test_a_column_earlier_than_its_moment_is_set_again_and_nobody_is_reminded(cast):
    (app,) = issued(cast)
    Application.objects.filter(pk=app.pk).update(measure_reminder_at=MONDAY - DAY)
    with time_machine.travel(MONDAY + DAY, tick=False):
        assert services.remind_open_measures() == 0
    assert column(app) == app.advice_issued_at + 30 * DAY


def _queries(at):
    with time_machine.travel(at, tick=False), CaptureQueriesContext(connection) as ctx:
        assert services.remind_open_measures() == 0
    return [q["sql"] for q in ctx.captured_queries]


def test_with_nothing_due_the_sweep_issues_the_same_few_queries_however_many_cases_are_open(
    cast,
):
    at = MONDAY + 20 * DAY
    issued(cast, 1)
    few = _queries(at)
    issued(cast, 4)
    many = _queries(at)
    # The run's own record (start, open failures, end) and one read of the index.
    assert len(many) == len(few) <= 4
    reads = [q for q in many if '"veiligwonen_application"' in q]
    assert len(reads) == 1 and '"measure_reminder_at" <=' in reads[0]


@pytest.mark.django_db(transaction=True)
def test_with_nothing_due_the_sweep_reads_its_partial_index_not_the_applications(
    cast, db_roles_names
):
    """The sweep's read, captured as it ran with nothing due, is EXPLAINed (PostgreSQL;
    no planner setting changed): its plan must read the partial index, never scan the
    applications. The plan depends on the statistics, so the table gets what production
    has: 2 000 closed files beside open cases with measures planned, committed and
    ``ANALYZE``d by the table's owner, as autovacuum would (see the same test of the
    melding reminders)."""
    load_catalogue(MeasureType)  # an earlier transactional test's flush emptied it
    (app,) = issued(cast)
    row = Application.objects.get(pk=app.pk)
    fields = {f.attname: getattr(row, f.attname) for f in Application._meta.concrete_fields}
    del fields["id"]
    fields.update(status=Status.COMPLETED, measure_reminder_at=None)
    Application.objects.bulk_create(Application(**fields) for _ in range(2000))
    issued(cast, 2)
    with db_roles.connect_as(db_roles_names[0], connection.settings_dict) as owner:
        owner.execute("ANALYZE veiligwonen_application")
    reads = [
        q
        for q in _queries(MONDAY + 20 * DAY)
        if q.startswith("SELECT") and '"veiligwonen_application"' in q
    ]
    assert len(reads) == 1
    nodes = plan_nodes(reads[0])
    assert "vw_measure_reminder_idx" in {n.get("Index Name") for n in nodes}, nodes
    assert not [n for n in nodes if n["Node Type"] == "Seq Scan"], nodes


def test_the_column_refreshed_from_the_state_equals_what_the_write_path_wrote(cast):
    apps = issued(cast, 2)
    with time_machine.travel(MONDAY + 31 * DAY, tick=False):
        services.remind_open_measures()
    measure = Measure.objects.filter(advice__application=apps[1]).first()
    services.update_measure(measure, actor=cast.secretaris, status=MeasureStatus.DONE)
    apps.append(submit(cast))
    written = {app.pk: column(app) for app in apps}
    assert all(written[app.pk] for app in apps[:2])
    refresh(Application.objects.all())
    assert {app.pk: column(app) for app in apps} == written


def test_the_migration_fills_the_column_as_the_write_path_writes_it(cast):
    """Migration 0009 carries its own copy of the definition (a migration must not import
    code that changes later); on a loaded database it must give what the services give."""
    from importlib import import_module

    from django.apps import apps as registry

    fill = import_module("veiligwonen.migrations.0009_measure_reminder_column").fill
    apps = issued(cast, 2)
    with time_machine.travel(MONDAY + 31 * DAY, tick=False):
        services.remind_open_measures()
    apps += [*issued(cast, 1), submit(cast)]
    written = {app.pk: column(app) for app in apps}
    Application.objects.update(measure_reminder_at=None)
    fill(registry, None)
    assert {app.pk: column(app) for app in apps} == written
