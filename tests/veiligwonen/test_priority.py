from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import make_user
from veiligwonen import scoring, services
from veiligwonen.constants import UrgencyClass
from veiligwonen.models import Application, SlaSetting
from weerbaar.constants import Role
from weerbaar.workdays import add_working_days

from .factories import submit

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Europe/Amsterdam")
# In the future: memberships made now must already be valid on the travelled-to dates.
MONDAY = datetime(2027, 3, 1, 10, 0, tzinfo=TZ)


def queue_order():
    return list(
        Application.objects.waiting_for_intake()
        .order_by("-score", "submitted_at", "pk")
        .values_list("pk", flat=True)
    )


def test_burgemeesters_urgent_application_overtakes_three_normal_ones_filed_earlier(cast):
    with time_machine.travel(MONDAY, tick=False):
        normals = [
            submit(cast, make_user(Role.OFFICE_HOLDER, cast.gemeente, "wethouder"))
            for _ in range(3)
        ]
    later = add_working_days(MONDAY, 2)
    with time_machine.travel(later, tick=False):
        urgent = submit(cast, cast.burgemeester, recent_threats=True, incidents_at_home=True)
        services.rescore_open()
        assert urgent.urgency_class == UrgencyClass.SPOED
        assert queue_order() == [urgent.pk] + [n.pk for n in normals]


def test_a_normal_application_waiting_long_enough_rises_above_a_newer_hoog_one(cast):
    with time_machine.travel(MONDAY, tick=False):
        normal = submit(cast, cast.wethouder)
    # After 10 working days a fresh hoog application still goes first ...
    with time_machine.travel(add_working_days(MONDAY, 10), tick=False):
        hoog = submit(cast, cast.burgemeester, public_exposure=True)
        assert hoog.urgency_class == UrgencyClass.HOOG
        services.rescore_open()
        assert queue_order() == [hoog.pk, normal.pk]
    # ... but by 21 working days (past its own 15-day deadline) the normal one has aged
    # past a hoog one filed that day: 100 + 21 x 20 = 520 > 500 + 40.
    day21 = add_working_days(MONDAY, 21)
    with time_machine.travel(day21, tick=False):
        newer = submit(cast, make_user(Role.OFFICE_HOLDER, cast.gemeente, "wethouder"))
        Application.objects.filter(pk=newer.pk).update(urgency_class=UrgencyClass.HOOG)
        services.rescore_open()
        normal.refresh_from_db()
        newer.refresh_from_db()
        assert normal.score == 100 + 21 * scoring.PER_WORKING_DAY
        assert newer.score == 500
        assert queue_order().index(normal.pk) < queue_order().index(newer.pk)


def test_score_breakdown_explains_the_whole_score(cast):
    with time_machine.travel(MONDAY, tick=False):
        app = submit(cast, recent_threats=True, planned_move=True)
    with time_machine.travel(add_working_days(MONDAY, 3), tick=False):
        parts = scoring.breakdown(app)
        assert [p.points for p in parts] == [500, 60, 20, 60]
        assert sum(p.points for p in parts) == scoring.score(app)
        assert "3 werkdagen wachttijd" in str(parts[-1].label)


def test_weekends_do_not_count_as_waiting_time(cast):
    friday = datetime(2027, 3, 5, 10, 0, tzinfo=TZ)
    with time_machine.travel(friday, tick=False):
        app = submit(cast)
    sunday = datetime(2027, 3, 7, 10, 0, tzinfo=TZ)
    assert scoring.score(app, sunday) == scoring.score(app, friday)


def test_sla_deadline_follows_the_class_in_working_days(cast):
    with time_machine.travel(MONDAY, tick=False):
        spoed = submit(cast, recent_threats=True, incidents_at_home=True)
        normal = submit(cast, cast.wethouder)
    assert spoed.sla_due_at == add_working_days(MONDAY, 2)
    assert normal.sla_due_at == add_working_days(MONDAY, 15)


def test_sla_per_class_is_configurable(cast):
    SlaSetting.objects.filter(urgency_class=UrgencyClass.NORMAAL).update(intake_working_days=10)
    with time_machine.travel(MONDAY, tick=False):
        normal = submit(cast, cast.wethouder)
    assert normal.sla_due_at == add_working_days(MONDAY, 10)
    assert normal.sla_warn_at == add_working_days(MONDAY, 9)
