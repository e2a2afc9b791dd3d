"""The overdue-agreement sweep selects on a column of the agreement (``otwb.reminders``):
the write path sets it, the sweep clears it, and a run with nothing due reads an empty
range of its partial index, whatever the number of open agreements."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from otwb import jobs, services
from otwb.models import FollowUpAgreement, Traject
from otwb.reminders import refresh

from .. import db_roles
from ..explain import plan_nodes
from .factories import at

pytestmark = pytest.mark.django_db
DUE = dt.date(2027, 5, 1)


def column(agreement):
    return FollowUpAgreement.objects.filter(pk=agreement.pk).values_list("flag_on", flat=True).get()


@pytest.fixture
def traject(tour, gemeente_a):
    services.create_trajecten(tour)
    traject = Traject.objects.get(tour=tour, organisation=gemeente_a)
    Traject.objects.filter(pk=traject.pk).update(status="session_held")
    return traject


def agreements(traject, coordinator, n, due_on=DUE):
    return [
        services.add_agreement(
            traject, description="Protocol", owner="Griffie", due_on=due_on, actor=coordinator
        )
        for _ in range(n)
    ]


def test_made_it_is_due_the_day_after_and_flagged_or_done_it_is_cleared(traject, coordinator):
    flagged, done = agreements(traject, coordinator, 2)
    assert column(flagged) == column(done) == DUE + dt.timedelta(days=1)
    services.complete_agreement(done, actor=coordinator)
    assert column(done) is None
    with time_machine.travel(at(2027, 5, 2, 9), tick=False):
        assert jobs.sweep_overdue_agreements() == 1
    assert column(flagged) is None


def test_a_column_earlier_than_its_day_is_set_again_and_nothing_is_flagged(traject, coordinator):
    (agreement,) = agreements(traject, coordinator, 1)
    FollowUpAgreement.objects.filter(pk=agreement.pk).update(flag_on=DUE - dt.timedelta(days=9))
    with time_machine.travel(at(2027, 4, 25, 9), tick=False):
        assert jobs.sweep_overdue_agreements() == 0
    assert column(agreement) == DUE + dt.timedelta(days=1)


def _queries(at_):
    with time_machine.travel(at_, tick=False), CaptureQueriesContext(connection) as ctx:
        assert jobs.sweep_overdue_agreements() == 0
    return [q["sql"] for q in ctx.captured_queries]


def test_with_nothing_due_the_sweep_issues_the_same_few_queries_however_many_are_open(
    traject, coordinator
):
    agreements(traject, coordinator, 1)
    few = _queries(at(2027, 4, 20, 9))
    agreements(traject, coordinator, 4)
    many = _queries(at(2027, 4, 20, 9))
    # The run's own record (start, open failures, end) and one read of the index.
    assert len(many) == len(few) <= 4
    reads = [q for q in many if '"otwb_followupagreement"' in q]
    assert len(reads) == 1 and '"flag_on" <=' in reads[0]


@pytest.mark.django_db(transaction=True)
def test_with_nothing_due_the_sweep_reads_its_partial_index_not_the_agreements(
    traject, coordinator, db_roles_names
):
    """The sweep's read, captured as it ran with nothing due, is EXPLAINed (PostgreSQL;
    no planner setting changed): its plan must read the partial index, never scan the
    agreements. The table gets what production has, 2 000 done agreements beside open
    ones not yet due, committed and ``ANALYZE``d by its owner (see the same test of the
    melding reminders)."""
    FollowUpAgreement.objects.bulk_create(
        FollowUpAgreement(
            traject=traject,
            description="Gedaan",
            owner="Griffie",
            due_on=DUE,
            done_at=at(2027, 1, 1),
        )
        for _ in range(2000)
    )
    agreements(traject, coordinator, 3)
    with db_roles.connect_as(db_roles_names[0], connection.settings_dict) as owner:
        owner.execute("ANALYZE otwb_followupagreement")
    reads = [
        q
        for q in _queries(at(2027, 4, 20, 9))
        if q.startswith("SELECT") and '"otwb_followupagreement"' in q
    ]
    assert len(reads) == 1
    nodes = plan_nodes(reads[0])
    assert "agreement_flag_idx" in {n.get("Index Name") for n in nodes}, nodes
    assert not [
        n
        for n in nodes
        if n["Node Type"] == "Seq Scan" and n["Relation Name"] == "otwb_followupagreement"
    ], nodes


def test_refresh_and_the_migration_give_what_the_write_path_and_the_sweep_wrote(
    traject, coordinator
):
    from importlib import import_module

    from django.apps import apps as registry

    fill = import_module("otwb.migrations.0006_agreement_flag_column").fill
    made = agreements(traject, coordinator, 3)
    services.complete_agreement(made[0], actor=coordinator)
    with time_machine.travel(at(2027, 5, 2, 9), tick=False):
        assert jobs.sweep_overdue_agreements() == 2
    made += agreements(traject, coordinator, 1, due_on=dt.date(2027, 6, 1))
    written = {a.pk: column(a) for a in made}
    assert list(written.values()) == [None, None, None, dt.date(2027, 6, 2)]
    FollowUpAgreement.objects.update(flag_on=dt.date(2000, 1, 1))
    refresh(FollowUpAgreement.objects.all())
    assert {a.pk: column(a) for a in made} == written
    FollowUpAgreement.objects.update(flag_on=None)
    fill(registry, None)
    assert {a.pk: column(a) for a in made} == written
