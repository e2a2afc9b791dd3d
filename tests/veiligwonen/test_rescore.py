"""The daily rescoring reads only the scores that are out of date."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from veiligwonen import scoring, services
from veiligwonen.models import Application
from veiligwonen.services import rescore
from weerbaar.workdays import add_working_days

from .factories import submit

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Europe/Amsterdam")
MONDAY = datetime(2027, 3, 1, 10, 0, tzinfo=TZ)
FRIDAY, SATURDAY = MONDAY + timedelta(days=4), MONDAY + timedelta(days=5)


# The sweep runner's record of the run (started, succeeded) and its read of the open
# failures.
RUNNER_QUERIES = 3


def test_with_nothing_due_rescoring_is_one_query(cast, django_assert_num_queries):
    with time_machine.travel(MONDAY, tick=False):
        submit(cast)
        submit(cast, cast.wethouder)
    with time_machine.travel(MONDAY + timedelta(days=1), tick=False):
        assert services.rescore_open() == 2
        with django_assert_num_queries(1 + RUNNER_QUERIES):
            assert services.rescore_open() == 0


def test_on_a_weekend_scores_of_friday_are_still_right_and_not_read_again(
    cast, django_assert_num_queries
):
    with time_machine.travel(MONDAY, tick=False):
        app = submit(cast)
    with time_machine.travel(FRIDAY.replace(hour=0, minute=20), tick=False):
        assert services.rescore_open() == 1
    with time_machine.travel(SATURDAY, tick=False), django_assert_num_queries(1 + RUNNER_QUERIES):
        assert services.rescore_open() == 0
    app.refresh_from_db()
    with time_machine.travel(SATURDAY, tick=False):
        assert app.score == scoring.score(app)


def test_a_change_of_the_inputs_outside_the_services_is_rescored_the_same_day(cast):
    with time_machine.travel(MONDAY, tick=False):
        app = submit(cast)
        Application.objects.filter(pk=app.pk).update(recent_threats=True)
        assert services.rescore_open() == 1
    app.refresh_from_db()
    assert app.score == 100 + scoring.INDICATOR_POINTS["recent_threats"]


def test_a_score_written_while_the_sweep_computes_is_not_overwritten(cast, monkeypatch):
    with time_machine.travel(MONDAY, tick=False):
        app = submit(cast)
    real = scoring.score

    def score_with_a_concurrent_change(application, now=None):
        # Another transaction rescores the case (say, after a reclassification) after the
        # sweep read it: the sweep's older computation must not win.
        Application.objects.filter(pk=application.pk).update(score=999, scored_at=now)
        return real(application, now)

    monkeypatch.setattr(rescore.scoring, "score", score_with_a_concurrent_change)
    with time_machine.travel(add_working_days(MONDAY, 3), tick=False):
        services.rescore_open()
    app.refresh_from_db()
    assert app.score == 999
