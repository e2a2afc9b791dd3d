"""The sweeps act in chunks of applications, one transaction each: exactly once whatever
the chunking, a crash loses nothing, and the statements per chunk do not grow with it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings

from veiligwonen import services
from veiligwonen.constants import SweepKind, SweepLevel, TimelineKind
from veiligwonen.models import Application, Measure, ScanFinding, SweepRecord, TimelineEntry
from veiligwonen.services import sweeps
from veiligwonen.services.base import intake_officers
from weerbaar.constants import AuditAction
from weerbaar.models import AuditEvent, Notification
from weerbaar.workdays import add_working_days

from ..crashes import crash_on_call
from ..otwb.threads import run_in_threads
from .factories import submit, to_issued, to_review

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Europe/Amsterdam")
MONDAY = datetime(2027, 3, 1, 10, 0, tzinfo=TZ)


def _spoed(cast, n):
    with time_machine.travel(MONDAY, tick=False):
        return [submit(cast, recent_threats=True, incidents_at_home=True) for _ in range(n)]


def _reminder_lines(app):
    return TimelineEntry.objects.filter(application=app, kind=TimelineKind.REMINDER).count()


def test_sla_sweep_warns_and_escalates_every_application_once_chunk_by_chunk(cast, monkeypatch):
    monkeypatch.setattr(sweeps, "CHUNK", 2)
    apps = _spoed(cast, 5)
    with time_machine.travel(add_working_days(MONDAY, 2), tick=False):
        assert services.sweep_sla() == 10  # the warning and the escalation of each
        assert services.sweep_sla() == 0
    officers = len(intake_officers())
    assert Notification.objects.filter(kind="veiligwonen.sla_warning").count() == 5 * officers
    escalated = Notification.objects.filter(kind="veiligwonen.sla_escalation")
    assert sorted(escalated.values_list("link", flat=True)) == sorted(
        app.get_absolute_url() for app in apps
    )
    assert {n.recipient for n in escalated} == {cast.team_lead}
    assert [_reminder_lines(app) for app in apps] == [2] * 5


def test_a_crash_mid_sweep_loses_nothing_and_the_next_run_completes_it_once(cast, monkeypatch):
    monkeypatch.setattr(sweeps, "CHUNK", 2)
    apps = _spoed(cast, 5)
    real = crash_on_call(monkeypatch, sweeps, "notify_batch", 2)  # the second chunk
    warnings = SweepRecord.objects.filter(kind=SweepKind.SLA, level=SweepLevel.WARNING)
    with time_machine.travel(add_working_days(MONDAY, 1), tick=False):
        with pytest.raises(ConnectionError):
            services.sweep_sla()
        # The first chunk is there whole; of the second nothing, not even its claims.
        assert sorted(warnings.values_list("application_id", flat=True)) == [
            apps[0].pk,
            apps[1].pk,
        ]
        assert [_reminder_lines(app) for app in apps] == [1, 1, 0, 0, 0]

        monkeypatch.setattr(sweeps, "notify_batch", real)
        assert services.sweep_sla() == 3
        assert services.sweep_sla() == 0
    assert warnings.count() == 5
    assert [_reminder_lines(app) for app in apps] == [1] * 5
    sent = Notification.objects.filter(kind="veiligwonen.sla_warning")
    assert sent.count() == 5 * len(intake_officers())


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_over_several_chunks_act_once_on_each(cast, monkeypatch):
    monkeypatch.setattr(sweeps, "CHUNK", 2)
    apps = _spoed(cast, 5)
    with time_machine.travel(add_working_days(MONDAY, 2), tick=False):
        results = run_in_threads([services.sweep_sla, services.sweep_sla])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 10
    assert SweepRecord.objects.count() == 10
    assert [_reminder_lines(app) for app in apps] == [2] * 5
    assert Notification.objects.filter(kind="veiligwonen.sla_escalation").count() == 5


# The sweep runner's record of the run (started, succeeded) and its read of the open
# failures (once per run); per level: the query for what is due; per chunk: savepoint,
# lock, claim, the intake officers (once per run), the outbox (existing keys, savepoint,
# insert, release), the timeline lines, release.
RUNNER_QUERIES = 2 + 1
SLA_WARNING_QUERIES = RUNNER_QUERIES + 2 + 1 + 1 + 1 + 1 + 4 + 1 + 1


@pytest.mark.parametrize("n", [1, 6])
def test_sla_sweep_statements_do_not_grow_with_the_applications_in_a_chunk(
    cast, n, django_assert_num_queries
):
    _spoed(cast, n)
    with (
        time_machine.travel(add_working_days(MONDAY, 1), tick=False),
        django_assert_num_queries(SLA_WARNING_QUERIES),
    ):
        assert services.sweep_sla() == n


@pytest.mark.parametrize("n", [1, 4])
def test_measure_reminders_read_the_employer_contacts_once_per_run(
    cast, n, django_assert_num_queries
):
    with time_machine.travel(MONDAY, tick=False):
        apps = [to_issued(cast, submit(cast)) for _ in range(n)]
    # The partial index of the next reminder; per level the query for what is due (the
    # 60-day one finds nothing); for the 30-day one the check for planned measures, then
    # for its chunk: savepoint, lock, the column moved on, claim, the secretarissen, the
    # outbox (4), timeline, release; last, the columns of those not due after all.
    with (
        time_machine.travel(MONDAY + timedelta(days=31), tick=False),
        django_assert_num_queries(RUNNER_QUERIES + 1 + 2 + 1 + 1 + 1 + 1 + 1 + 1 + 4 + 1 + 1 + 1),
    ):
        assert services.remind_open_measures() == n
    reminders = Notification.objects.filter(kind="veiligwonen.measures_reminder")
    assert {r.recipient for r in reminders} == {cast.secretaris}
    assert reminders.count() == n
    assert [_reminder_lines(app) for app in apps] == [1] * n


@override_settings(VEILIGWONEN_RETENTION_DAYS=30)
def test_retention_purges_every_closed_file_once_with_its_timeline_and_audit_line(
    cast, monkeypatch
):
    monkeypatch.setattr(sweeps, "CHUNK", 2)
    with time_machine.travel(MONDAY, tick=False):
        apps = [
            services.withdraw(to_review(cast, submit(cast)), actor=cast.burgemeester)
            for _ in range(3)
        ]
        open_app = to_review(cast, submit(cast))
    with time_machine.travel(MONDAY + timedelta(days=31), tick=False):
        assert services.purge_closed() == 3
        assert services.purge_closed() == 0
    for app in apps:
        app = Application.objects.get(pk=app.pk)
        assert (app.home_address, app.household, app.phone) == ("", "", "")
        assert app.advice.summary == ""
        assert set(Measure.objects.filter(advice=app.advice).values_list("notes", flat=True)) == {
            ""
        }
        assert not ScanFinding.objects.filter(application=app).exists()
        assert TimelineEntry.objects.filter(application=app, kind=TimelineKind.PURGED).count() == 1
        assert AuditEvent.objects.for_object(app).filter(action=AuditAction.PURGE).count() == 1
    untouched = Application.objects.get(pk=open_app.pk)
    assert untouched.home_address != "" and untouched.advice.summary != ""
    assert ScanFinding.objects.filter(application=untouched).exists()
