"""Each reminder sweep selects on a "next reminder at" column of the melding
(``incidents.reminders``): every write path that changes what a reminder depends on sets
it, a reminder moves it on, and a run with nothing due reads an empty range of its partial
index, whatever the number of open cases."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents import services
from incidents.constants import AangifteStatus, Status
from incidents.models import Melding
from incidents.reminders import COLUMNS, refresh
from incidents.services import followup
from incidents.services.sweeps import (
    escalate_due,
    remind_aangifte,
    remind_aangifte_confirmation,
    remind_aftercare,
    remind_idle,
)
from weerbaar.models import Organisation

from .. import db_roles
from ..explain import plan_nodes
from .factories import make_melding

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def columns(melding):
    return Melding.objects.filter(pk=melding.pk).values(*COLUMNS).get()


def acknowledged(reporter, griffier):
    return services.transition(make_melding(reporter), Status.IN_TRIAGE, actor=griffier)


def test_a_sent_melding_has_no_reminder_until_it_is_acknowledged(raadslid_a, griffier_a):
    melding = make_melding(raadslid_a)
    assert set(columns(melding).values()) == {None}
    melding = services.transition(melding, Status.IN_TRIAGE, actor=griffier_a)
    melding.refresh_from_db()
    assert columns(melding) == {
        "aftercare_reminder_at": melding.acknowledged_at + 7 * DAY,
        "aangifte_reminder_at": None,
        "police_reminder_at": None,
        "idle_reminder_at": melding.last_activity_at + 14 * DAY,
    }


def test_a_message_moves_the_idle_reminder_to_two_weeks_after_it(raadslid_a, griffier_a):
    melding = acknowledged(raadslid_a, griffier_a)
    later = timezone.now() + 5 * DAY
    with time_machine.travel(later, tick=False):
        services.post_message(melding, "Hoe gaat het nu?", actor=raadslid_a)
    assert columns(melding)["idle_reminder_at"] == later + 14 * DAY


def test_the_aangifte_sets_its_status_and_police_reminders(raadslid_a, griffier_a):
    melding = acknowledged(raadslid_a, griffier_a)
    prepared = followup.save_aangifte(
        melding, actor=griffier_a, data={"status": AangifteStatus.PREPARED}
    )
    assert columns(melding)["aangifte_reminder_at"] == prepared.status_changed_at + 14 * DAY
    assert columns(melding)["police_reminder_at"] is None
    with time_machine.travel(timezone.now() + DAY, tick=False):
        filed = followup.save_aangifte(
            melding, actor=griffier_a, data={"status": AangifteStatus.FILED}
        )
    assert columns(melding)["aangifte_reminder_at"] == filed.status_changed_at + 14 * DAY
    assert columns(melding)["police_reminder_at"] == filed.confirm_due_at
    followup.save_aangifte(
        melding, actor=griffier_a, data={"police_confirmed_on": timezone.localdate()}
    )
    assert columns(melding)["police_reminder_at"] is None
    followup.save_aangifte(melding, actor=griffier_a, data={"status": AangifteStatus.CLOSED})
    assert columns(melding)["aangifte_reminder_at"] is None


def test_closing_clears_every_reminder_and_reopening_brings_back_what_is_left(
    raadslid_a, griffier_a
):
    melding = acknowledged(raadslid_a, griffier_a)
    followup.save_aangifte(melding, actor=griffier_a, data={"status": AangifteStatus.FILED})
    acked = Melding.objects.get(pk=melding.pk).acknowledged_at
    with time_machine.travel(acked + 8 * DAY, tick=False):
        assert remind_aftercare() == 1
    assert columns(melding)["aftercare_reminder_at"] == acked + 28 * DAY
    services.close(melding, "Afgehandeld", actor=griffier_a)
    assert set(columns(melding).values()) == {None}
    reopened = services.transition(melding, Status.IN_FOLLOW_UP, actor=griffier_a)
    now = columns(melding)
    assert now["aftercare_reminder_at"] == acked + 28 * DAY  # the 7-day check was done
    assert now["idle_reminder_at"] == reopened.last_activity_at + 14 * DAY
    assert now["aangifte_reminder_at"] is not None and now["police_reminder_at"] is not None


def test_withdrawn_and_sent_again_starts_the_aftercare_checks_afresh(raadslid_a, griffier_a):
    melding = acknowledged(raadslid_a, griffier_a)
    first = Melding.objects.get(pk=melding.pk).acknowledged_at
    with time_machine.travel(first + 8 * DAY, tick=False):
        assert remind_aftercare() == 1
        services.withdraw(melding, actor=raadslid_a)
        assert set(columns(melding).values()) == {None}
        melding = services.submit(melding, actor=raadslid_a)
        assert set(columns(melding).values()) == {None}
        melding = services.transition(melding, Status.IN_TRIAGE, actor=griffier_a)
    again = Melding.objects.get(pk=melding.pk).acknowledged_at
    assert columns(melding)["aftercare_reminder_at"] == again + 7 * DAY


def test_each_reminder_moves_its_column_on_or_clears_it(raadslid_a, griffier_a):
    melding = acknowledged(raadslid_a, griffier_a)
    followup.save_aangifte(melding, actor=griffier_a, data={"status": AangifteStatus.FILED})
    acked = Melding.objects.get(pk=melding.pk).acknowledged_at
    with time_machine.travel(acked + 15 * DAY, tick=False):
        assert remind_aftercare() == 1
        assert remind_aangifte() == 1
        assert remind_aangifte_confirmation() == 1
        assert remind_idle() == 1
    assert columns(melding) == {
        "aftercare_reminder_at": acked + 28 * DAY,
        "aangifte_reminder_at": None,
        "police_reminder_at": None,
        "idle_reminder_at": None,
    }
    with time_machine.travel(acked + 29 * DAY, tick=False):
        assert remind_aftercare() == 1
    assert columns(melding)["aftercare_reminder_at"] is None


def test_a_column_earlier_than_its_moment_is_set_again_and_not_read_twice(raadslid_a, griffier_a):
    """A column may be early (a data fix, a race with a writer): the sweep tests the full
    condition as before, reminds nobody, and sets the column to its real moment."""
    melding = acknowledged(raadslid_a, griffier_a)
    real = columns(melding)
    Melding.objects.filter(pk=melding.pk).update(
        **dict.fromkeys(COLUMNS, timezone.now() - timedelta(hours=1))
    )
    assert remind_aftercare() == remind_idle() == 0
    assert remind_aangifte() == remind_aangifte_confirmation() == 0
    assert columns(melding) == real


def _open_cases_already_reminded(reporter, griffier, n):
    """``n`` acknowledged cases, each with a filed aangifte, reminded of everything once."""
    meldingen = [acknowledged(reporter, griffier) for _ in range(n)]
    for melding in meldingen:
        followup.save_aangifte(melding, actor=griffier, data={"status": AangifteStatus.FILED})
    with time_machine.travel(timezone.now() + 15 * DAY, tick=False):
        for sweep in SWEEPS.values():
            sweep()
    return meldingen


SWEEPS = {
    "aftercare_reminder_at": remind_aftercare,
    "aangifte_reminder_at": remind_aangifte,
    "police_reminder_at": remind_aangifte_confirmation,
    "idle_reminder_at": remind_idle,
}


def _queries(sweep, at):
    with time_machine.travel(at, tick=False), CaptureQueriesContext(connection) as ctx:
        assert sweep() == 0
    return [q["sql"] for q in ctx.captured_queries]


def test_a_sweep_with_nothing_due_issues_the_same_few_queries_however_many_cases_are_open(
    raadslid_a, griffier_a
):
    at = timezone.now() + 16 * DAY
    _open_cases_already_reminded(raadslid_a, griffier_a, 1)
    few = {name: _queries(sweep, at) for name, sweep in SWEEPS.items()}
    _open_cases_already_reminded(raadslid_a, griffier_a, 4)
    for name, sweep in SWEEPS.items():
        many = _queries(sweep, at)
        # The run's own record (start, open failures, end) and one read of the index.
        assert len(many) == len(few[name]) <= 4, name
        reads = [q for q in many if '"incidents_melding"' in q]
        assert len(reads) == 1 and f'"{name}" <=' in reads[0], name


def _closed_history(n):
    """``n`` closed meldingen: years of history beside the open cases, as in production."""
    org = Organisation.objects.get(code="GM0344")
    Melding.objects.bulk_create(
        Melding(
            organisation=org,
            route_organisation=org,
            route="griffier",
            reporter_role="office_holder",
            status=Status.CLOSED,
        )
        for _ in range(n)
    )


PLANS = [
    (remind_aftercare, "melding_aftercare_reminder"),
    (remind_aangifte, "melding_aangifte_reminder"),
    (remind_aangifte_confirmation, "melding_police_reminder"),
    (remind_idle, "melding_idle_reminder"),
    # No submitted melding in the statistics: its own partial index or the status index
    # reads nothing either way.
    (escalate_due, None),
]


@pytest.mark.django_db(transaction=True)
def test_a_sweep_with_nothing_due_reads_its_partial_index_not_the_meldingen(
    raadslid_a, griffier_a, db_roles_names
):
    """The query each sweep issues, captured as it ran with nothing due, is EXPLAINed
    (PostgreSQL; no planner setting changed): its plan must read the sweep's partial index,
    never scan the meldingen table.

    The plan depends on the table's statistics, so the test gives the planner what
    production has: 3 000 closed meldingen of history beside open, acknowledged cases that
    were reminded of everything already (their columns empty or in the future), committed
    (a transactional test) and ``ANALYZE``d by the tables' owner, as autovacuum would (the
    suite's app role may not analyze; on a table without statistics PostgreSQL guesses a
    third of the rows and rightly prefers a scan of a few pages). The index is then chosen
    on its cost, as on the load database."""
    _closed_history(3000)
    _open_cases_already_reminded(raadslid_a, griffier_a, 3)
    with db_roles.connect_as(db_roles_names[0], connection.settings_dict) as owner:
        owner.execute("ANALYZE incidents_melding")
    at = timezone.now() + 16 * DAY
    for sweep, index in PLANS:
        reads = [
            q for q in _queries(sweep, at) if q.startswith("SELECT") and '"incidents_melding"' in q
        ]
        assert len(reads) == 1, sweep
        nodes = plan_nodes(reads[0])
        if index:
            assert index in {n.get("Index Name") for n in nodes}, (sweep, nodes)
        assert not [n for n in nodes if n["Node Type"] == "Seq Scan"], (sweep, nodes)


def test_the_columns_refreshed_from_the_state_equal_what_the_write_paths_wrote(
    raadslid_a, griffier_a
):
    """``refresh`` (the seeders' and the migration's way) and the write paths agree."""
    meldingen = _open_cases_already_reminded(raadslid_a, griffier_a, 2)
    services.post_message(meldingen[0], "Nog een vraag", actor=raadslid_a)
    written = {m.pk: columns(m) for m in meldingen}
    refresh(Melding.objects.all())
    assert {m.pk: columns(m) for m in meldingen} == written


def test_the_migration_fills_the_columns_as_the_write_paths_write_them(raadslid_a, griffier_a):
    """Migration 0017 carries its own copy of the definitions (a migration must not import
    code that changes later); on a loaded database it must give what the services give."""
    from importlib import import_module

    from django.apps import apps

    fill = import_module("incidents.migrations.0017_reminder_columns").fill
    meldingen = _open_cases_already_reminded(raadslid_a, griffier_a, 2)
    meldingen += [acknowledged(raadslid_a, griffier_a), make_melding(raadslid_a)]
    followup.save_aangifte(meldingen[2], actor=griffier_a, data={"status": "prepared"})
    written = {m.pk: columns(m) for m in meldingen}
    assert any(value for row in written.values() for value in row.values())
    Melding.objects.update(**dict.fromkeys(COLUMNS))
    fill(apps, None)
    assert {m.pk: columns(m) for m in meldingen} == written
