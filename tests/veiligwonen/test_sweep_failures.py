"""Every Veilig Wonen sweep survives one bad application among healthy due ones (see
``tests/sweep_failures.py`` for what is checked)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from veiligwonen import services
from veiligwonen.constants import SweepKind
from veiligwonen.models import Application, SweepRecord
from weerbaar.constants import Role
from weerbaar.workdays import add_working_days

from ..factories import make_user
from ..sweep_failures import BadCase, check_survives_one_bad_case, refused_row
from .factories import submit, to_issued

pytestmark = pytest.mark.django_db
MONDAY = datetime(2027, 3, 1, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def _three(make):
    with time_machine.travel(MONDAY, tick=False):
        ids = [make().pk for _ in range(3)]
    return [ids[0], ids[2]], ids[1]


def _claimed(kind):
    return lambda pk: SweepRecord.objects.filter(application_id=pk, kind=kind).count()


def _refuse_claim(bad):
    return lambda: refused_row(SweepRecord, "application_id", bad)


def _refuse_update(bad):
    return lambda: refused_row(Application, "id", bad, "UPDATE")


def sla(cast):
    healthy, bad = _three(lambda: submit(cast, recent_threats=True, incidents_at_home=True))
    return add_working_days(MONDAY, 2), BadCase(
        sweep="veiligwonen-sla",
        model=Application,
        run=services.sweep_sla,
        acted=_claimed(SweepKind.SLA),
        healthy=healthy,
        bad=bad,
        times=2,  # the warning and the escalation
        breaking=_refuse_claim(bad),
    )


def measures(cast):
    healthy, bad = _three(lambda: to_issued(cast, submit(cast)))
    return MONDAY + timedelta(days=31), BadCase(
        sweep="veiligwonen-measure-reminders",
        model=Application,
        run=services.remind_open_measures,
        acted=_claimed(SweepKind.MEASURES),
        healthy=healthy,
        bad=bad,
        breaking=_refuse_claim(bad),
    )


def rescore(cast):
    healthy, bad = _three(lambda: submit(cast))
    return add_working_days(MONDAY, 5), BadCase(
        sweep="veiligwonen-rescore",
        model=Application,
        run=services.rescore_open,
        acted=lambda pk: Application.objects.filter(
            pk=pk, scored_at__gt=MONDAY + timedelta(days=1)
        ).count(),
        healthy=healthy,
        bad=bad,
        breaking=_refuse_update(bad),
    )


def handoff(cast):
    def referred():
        return services.hand_off(
            submit(cast, recent_threats=True),
            actor=cast.intake,
            unit="limburg",
            contact_person="Inspecteur De Vries",
            handed_over_on=MONDAY.date(),
            reference="PL2300-1",
            note="Dreigbrief",
        )

    healthy, bad = _three(referred)
    return add_working_days(MONDAY, 3), BadCase(
        sweep="veiligwonen-handoff-receipt",
        model=Application,
        run=services.remind_handoff_receipt,
        acted=_claimed(SweepKind.HANDOFF),
        healthy=healthy,
        bad=bad,
        breaking=_refuse_claim(bad),
    )


def purge(cast):
    healthy, bad = _three(lambda: services.withdraw(submit(cast), actor=cast.burgemeester))
    return MONDAY + timedelta(days=31), BadCase(
        sweep="veiligwonen-retention",
        model=Application,
        run=services.purge_closed,
        acted=lambda pk: Application.objects.filter(pk=pk, purged_at__isnull=False).count(),
        healthy=healthy,
        bad=bad,
        breaking=_refuse_update(bad),
    )


@pytest.mark.parametrize("make", [sla, measures, rescore, handoff, purge], ids=lambda f: f.__name__)
def test_sweep_acts_on_the_healthy_applications_and_holds_back_the_bad_one(
    make, cast, bzk, settings
):
    settings.VEILIGWONEN_RETENTION_DAYS = 30
    beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, bzk)
    at, case = make(cast)
    check_survives_one_bad_case(case, at=at, beheerder=beheerder)
