import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import override_settings

from veiligwonen import services
from veiligwonen.constants import MeasureStatus, SweepKind, SweepLevel
from veiligwonen.models import Application, SweepRecord
from weerbaar.models import Notification
from weerbaar.workdays import add_working_days

from .factories import HOME, submit, to_issued

TZ = ZoneInfo("Europe/Amsterdam")
MONDAY = datetime(2027, 3, 1, 10, 0, tzinfo=TZ)


def escalations():
    return Notification.objects.filter(kind="veiligwonen.sla_escalation")


@pytest.mark.django_db
def test_sla_warning_then_escalation_each_once(cast):
    with time_machine.travel(MONDAY, tick=False):
        app = submit(cast, recent_threats=True, incidents_at_home=True)  # spoed: 2 days
        services.claim(app, actor=cast.intake)
        assert services.sweep_sla() == 0
    with time_machine.travel(add_working_days(MONDAY, 1), tick=False):
        assert services.sweep_sla() == 1
        warning = Notification.objects.get(kind="veiligwonen.sla_warning")
        assert warning.recipient == cast.intake
        assert not escalations().exists()
    with time_machine.travel(add_working_days(MONDAY, 2), tick=False):
        assert services.sweep_sla() == 1
        assert services.sweep_sla() == 0
    assert [n.recipient for n in escalations()] == [cast.team_lead]


@pytest.mark.django_db
def test_held_intake_stops_the_sla_clock(cast):
    with time_machine.travel(MONDAY, tick=False):
        app = submit(cast)
        app = services.plan_intake(app, actor=cast.intake, adviser=cast.adviser, when=MONDAY)
        services.hold_intake(app, actor=cast.adviser, findings="ok", urgency_class="normaal")
    with time_machine.travel(add_working_days(MONDAY, 30), tick=False):
        assert services.sweep_sla() == 0


@pytest.mark.django_db(transaction=True)
def test_sla_escalation_exactly_once_with_two_concurrent_sweeps(cast):
    with time_machine.travel(MONDAY, tick=False):
        submit(cast, recent_threats=True, incidents_at_home=True)
    later = add_working_days(MONDAY, 3)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def sweep():
        try:
            with time_machine.travel(later, tick=False):
                barrier.wait()
                results.append(services.sweep_sla())
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(results) == 2  # the warning and the escalation, once each, whoever did it
    assert escalations().count() == 1
    assert SweepRecord.objects.filter(kind=SweepKind.SLA, level=SweepLevel.ESCALATION).count() == 1


@pytest.mark.django_db
def test_employer_reminded_of_open_measures_after_30_and_60_days(cast):
    with time_machine.travel(MONDAY, tick=False):
        app = to_issued(cast, submit(cast))
    with time_machine.travel(MONDAY + timedelta(days=29), tick=False):
        assert services.remind_open_measures() == 0
    with time_machine.travel(MONDAY + timedelta(days=31), tick=False):
        assert services.remind_open_measures() == 1
        assert services.remind_open_measures() == 0
    with time_machine.travel(MONDAY + timedelta(days=61), tick=False):
        assert services.remind_open_measures() == 1
    rows = Notification.objects.filter(kind="veiligwonen.measures_reminder")
    assert [n.recipient for n in rows] == [cast.secretaris, cast.secretaris]
    for measure in app.advice.measures.all():
        services.update_measure(
            measure, actor=cast.secretaris, status=MeasureStatus.DONE, actual_cost=1
        )
    with time_machine.travel(MONDAY + timedelta(days=90), tick=False):
        assert services.remind_open_measures() == 0


@pytest.mark.django_db
def test_daily_rescoring_lets_waiting_applications_rise(cast):
    with time_machine.travel(MONDAY, tick=False):
        app = submit(cast)
        start = app.score
    with time_machine.travel(add_working_days(MONDAY, 5), tick=False):
        assert services.rescore_open() == 1
        assert services.rescore_open() == 0
    app.refresh_from_db()
    assert app.score == start + 100


@pytest.mark.django_db
@override_settings(VEILIGWONEN_RETENTION_DAYS=30)
def test_closed_files_are_purged_after_the_retention_period(cast):
    with time_machine.travel(MONDAY, tick=False):
        app = services.withdraw(submit(cast), actor=cast.burgemeester)
        open_app = submit(cast, cast.wethouder)
    with time_machine.travel(MONDAY + timedelta(days=29), tick=False):
        assert services.purge_closed() == 0
    with time_machine.travel(MONDAY + timedelta(days=31), tick=False):
        assert services.purge_closed() == 1
        assert services.purge_closed() == 0
    app = Application.objects.get(pk=app.pk)
    assert app.home_address == "" and app.household == "" and app.phone == ""
    assert app.purged_at is not None
    assert Application.objects.get(pk=open_app.pk).home_address == HOME
