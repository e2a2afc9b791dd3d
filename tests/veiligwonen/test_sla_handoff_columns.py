"""The SLA sweep and the hand-off receipt reminder select on a column of their own on the
application (``veiligwonen.reminders``: ``sla_reminder_at``, ``handoff_reminder_at``):
every write path sets them, a run moves them on, and a run with nothing due reads an
empty range of their partial indexes, whatever the number of waiting cases or of the
sweeps' records."""

from datetime import datetime, timedelta
from importlib import import_module
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps as registry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from veiligwonen import services
from veiligwonen.catalogue import load_catalogue
from veiligwonen.constants import Status
from veiligwonen.models import Application, MeasureType
from veiligwonen.reminders import COLUMNS, refresh
from weerbaar.models import Notification
from weerbaar.workdays import add_working_days

from .. import db_roles
from ..explain import plan_nodes
from .factories import submit

pytestmark = pytest.mark.django_db
MONDAY = datetime(2027, 3, 1, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
DAY = timedelta(days=1)


def column(app, name):
    return Application.objects.filter(pk=app.pk).values_list(name, flat=True).get()


def sla(app):
    return column(app, "sla_reminder_at")


def receipt_reminder(app):
    return column(app, "handoff_reminder_at")


def spoed(cast, applicant=None):
    with time_machine.travel(MONDAY, tick=False):
        return submit(cast, applicant, recent_threats=True, incidents_at_home=True)


def hand_off(cast, app):
    return services.hand_off(
        app,
        actor=cast.intake,
        unit="limburg",
        contact_person="Inspecteur De Vries",
        handed_over_on=timezone.localdate(),
        reference="PL2300-1",
        note="Dreigbrief",
    )


def test_submission_sets_the_warning_and_each_sla_run_moves_it_on(cast):
    app = spoed(cast)
    assert sla(app) == app.sla_warn_at
    with time_machine.travel(add_working_days(MONDAY, 1), tick=False):
        assert services.sweep_sla() == 1
    assert sla(app) == app.sla_due_at
    with time_machine.travel(add_working_days(MONDAY, 2), tick=False):
        assert services.sweep_sla() == 1
    assert sla(app) is None


def test_claim_and_planning_keep_it_and_the_held_intake_clears_it(cast):
    app = spoed(cast)
    with time_machine.travel(add_working_days(MONDAY, 1), tick=False):
        assert services.sweep_sla() == 1
        app = services.claim(app, actor=cast.intake)
        assert sla(app) == app.sla_due_at  # the warning went out: not again
        when = timezone.now() - timedelta(hours=1)
        app = services.plan_intake(app, actor=cast.intake, adviser=cast.adviser, when=when)
        assert app.status == Status.INTAKE_PLANNED and sla(app) == app.sla_due_at
        services.hold_intake(app, actor=cast.adviser, findings="ok", urgency_class="spoed")
    assert sla(app) is None


def test_withdrawal_clears_it(cast):
    app = services.withdraw(spoed(cast), actor=cast.burgemeester)
    assert sla(app) is None


def test_hand_off_sets_the_receipt_reminder_the_reminder_and_the_receipt_clear_it(cast):
    app = hand_off(cast, submit(cast, recent_threats=True))
    assert sla(app) is None
    assert receipt_reminder(app) == app.handoff.receipt_due_at
    assert services.remind_handoff_receipt(now=app.handoff.receipt_due_at) == 1
    assert receipt_reminder(app) is None
    other = hand_off(cast, submit(cast, cast.wethouder, recent_threats=True))
    services.record_handoff_receipt(
        other, actor=cast.intake, received_by="Brigadier Jansen", received_on=timezone.localdate()
    )
    assert receipt_reminder(other) is None


def test_taking_back_clears_it_and_a_new_hand_off_sets_it_again(cast):
    app = hand_off(cast, submit(cast, recent_threats=True))
    assert services.remind_handoff_receipt(now=app.handoff.receipt_due_at) == 1
    app = services.cancel_handoff(app, actor=cast.intake, reason="refused", note="Geweigerd")
    assert receipt_reminder(app) is None
    app = hand_off(cast, app)
    assert receipt_reminder(app) == app.handoff.receipt_due_at


def test_a_column_earlier_than_its_moment_is_set_again_and_nobody_is_told(cast):
    app = spoed(cast)
    with time_machine.travel(MONDAY, tick=False):
        handed = hand_off(cast, submit(cast, cast.wethouder, recent_threats=True))
    Application.objects.filter(pk=app.pk).update(sla_reminder_at=MONDAY - DAY)
    Application.objects.filter(pk=handed.pk).update(handoff_reminder_at=MONDAY - DAY)
    told = Notification.objects.count()
    with time_machine.travel(MONDAY + timedelta(hours=1), tick=False):
        assert services.sweep_sla() == 0
        assert services.remind_handoff_receipt() == 0
    assert Notification.objects.count() == told
    assert sla(app) == app.sla_warn_at
    assert receipt_reminder(handed) == handed.handoff.receipt_due_at


def _queries(sweep, at):
    with time_machine.travel(at, tick=False), CaptureQueriesContext(connection) as ctx:
        assert sweep() == 0
    return [q["sql"] for q in ctx.captured_queries]


SWEEPS = [
    (services.sweep_sla, '"sla_reminder_at" <='),
    (services.remind_handoff_receipt, '"handoff_reminder_at" <='),
]


@pytest.mark.parametrize(("sweep", "read"), SWEEPS, ids=["sla", "handoff"])
def test_with_nothing_due_the_sweep_issues_the_same_few_queries_however_many_wait(
    cast, sweep, read
):
    at = MONDAY - timedelta(days=3)  # before every deadline of the cases below

    def waiting(n):
        for _ in range(n):
            with time_machine.travel(MONDAY, tick=False):
                hand_off(cast, submit(cast, recent_threats=True))
                submit(cast)

    waiting(1)
    few = _queries(sweep, at)
    waiting(4)
    many = _queries(sweep, at)
    # The run's own record (start, open failures, end) and one read of the index.
    assert len(many) == len(few) <= 4
    reads = [q for q in many if '"veiligwonen_application"' in q]
    assert len(reads) == 1 and read in reads[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("sweep", "index"),
    [
        (services.sweep_sla, "vw_sla_reminder_idx"),
        (services.remind_handoff_receipt, "vw_handoff_reminder_idx"),
    ],
    ids=["sla", "handoff"],
)
def test_with_nothing_due_the_sweep_reads_its_partial_index_not_the_applications(
    cast, db_roles_names, sweep, index
):
    """The sweep's read, captured as it ran with nothing due, is EXPLAINed (no planner
    setting changed): its plan must read the partial index, never scan the applications.
    The table gets what production has: 2 000 closed files beside waiting and handed-off
    cases, committed and ``ANALYZE``d by the table's owner (see the same test of the
    measure reminders)."""
    load_catalogue(MeasureType)  # an earlier transactional test's flush emptied it
    with time_machine.travel(MONDAY, tick=False):
        app = hand_off(cast, submit(cast, recent_threats=True))
        submit(cast)
        submit(cast, cast.wethouder)
    row = Application.objects.get(pk=app.pk)
    fields = {f.attname: getattr(row, f.attname) for f in Application._meta.concrete_fields}
    del fields["id"]
    fields.update(status=Status.COMPLETED, **dict.fromkeys(COLUMNS))
    Application.objects.bulk_create(Application(**fields) for _ in range(2000))
    with db_roles.connect_as(db_roles_names[0], connection.settings_dict) as owner:
        owner.execute("ANALYZE veiligwonen_application")
    reads = [
        q
        for q in _queries(sweep, MONDAY - timedelta(days=3))
        if q.startswith("SELECT") and '"veiligwonen_application"' in q
    ]
    assert len(reads) == 1
    nodes = plan_nodes(reads[0])
    assert index in {n.get("Index Name") for n in nodes}, nodes
    assert not [n for n in nodes if n["Node Type"] == "Seq Scan"], nodes


def _states(cast):
    apps = [spoed(cast), spoed(cast, cast.wethouder)]
    with time_machine.travel(add_working_days(MONDAY, 1), tick=False):
        services.sweep_sla()
    apps += [hand_off(cast, submit(cast, recent_threats=True)) for _ in range(2)]
    services.remind_handoff_receipt(now=apps[2].handoff.receipt_due_at)
    apps.append(services.withdraw(submit(cast), actor=cast.burgemeester))
    return apps


def _columns(apps):
    return {
        row["pk"]: row
        for row in Application.objects.filter(pk__in=[a.pk for a in apps]).values("pk", *COLUMNS)
    }


def test_the_columns_refreshed_from_the_state_equal_what_the_write_path_wrote(cast):
    apps = _states(cast)
    written = _columns(apps)
    assert [bool(written[a.pk]["sla_reminder_at"]) for a in apps] == [1, 1, 0, 0, 0]
    assert [bool(written[a.pk]["handoff_reminder_at"]) for a in apps] == [0, 0, 0, 1, 0]
    refresh(Application.objects.all())
    assert _columns(apps) == written


def test_the_migration_fills_the_columns_as_the_write_path_writes_them(cast):
    """Migration 0010 carries its own copy of the definitions (a migration must not import
    code that changes later); on a loaded database it must give what the services give."""
    fill = import_module("veiligwonen.migrations.0010_sla_and_handoff_reminder_columns").fill
    apps = _states(cast)
    written = _columns(apps)
    Application.objects.update(sla_reminder_at=None, handoff_reminder_at=None)
    fill(registry, None)
    assert _columns(apps) == written
