"""Every incidents sweep survives one bad melding among healthy due ones (see
``tests/sweep_failures.py`` for what is checked)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from incidents import services
from incidents.constants import AangifteStatus, JobKind, Status
from incidents.models import JobRecord, Melding
from incidents.services import followup, retention, sweeps
from weerbaar.constants import Role

from ..factories import make_user
from ..sweep_failures import BadCase, check_survives_one_bad_case, refused_row
from .factories import make_melding

pytestmark = pytest.mark.django_db


def _claims(kind):
    return lambda pk: JobRecord.objects.filter(melding_id=pk, kind=kind).count()


def _refuse_claim(bad):
    return lambda: refused_row(JobRecord, "melding_id", bad)


def escalation(raadslid, griffier):
    """The bad row is the one of the issue: a melding at the last level that is due again."""
    ids = [make_melding(raadslid).pk for _ in range(3)]
    healthy, bad = [ids[0], ids[2]], ids[1]
    return timedelta(days=3), BadCase(
        sweep="incidents-escalate-due",
        model=Melding,
        run=sweeps.escalate_due,
        acted=_claims(JobKind.ESCALATION),
        healthy=healthy,
        bad=bad,
        corrupt=lambda: Melding.objects.filter(pk=bad).update(escalation_level=3),
        repair=lambda: Melding.objects.filter(pk=bad).update(escalation_level=0),
    )


def _acknowledged(raadslid, griffier, n=3):
    return [
        services.transition(make_melding(raadslid), Status.IN_TRIAGE, actor=griffier)
        for _ in range(n)
    ]


def _reminder(sweep, run, kind, after):
    def make(raadslid, griffier):
        meldingen = _acknowledged(raadslid, griffier)
        if kind in (JobKind.AANGIFTE, JobKind.AANGIFTE_POLICE):
            for melding in meldingen:
                followup.save_aangifte(
                    melding, actor=griffier, data={"status": AangifteStatus.FILED}
                )
        ids = [m.pk for m in meldingen]
        return after, BadCase(
            sweep=sweep,
            model=Melding,
            run=run,
            acted=_claims(kind),
            healthy=[ids[0], ids[2]],
            bad=ids[1],
            breaking=_refuse_claim(ids[1]),
        )

    return make


def anonymisation(raadslid, griffier):
    ids = [
        services.transition(m, Status.CLOSED, actor=griffier).pk
        for m in _acknowledged(raadslid, griffier)
    ]
    return timedelta(days=31), BadCase(
        sweep="incidents-anonymise-expired",
        model=Melding,
        run=retention.anonymise_due,
        acted=lambda pk: Melding.objects.filter(pk=pk, anonymised_at__isnull=False).count(),
        healthy=[ids[0], ids[2]],
        bad=ids[1],
        breaking=lambda: refused_row(Melding, "id", ids[1], "UPDATE"),
    )


@pytest.mark.parametrize(
    "make",
    [
        escalation,
        _reminder(
            "incidents-remind-aftercare",
            sweeps.remind_aftercare,
            JobKind.AFTERCARE,
            timedelta(days=7, minutes=1),
        ),
        _reminder(
            "incidents-remind-aangifte",
            sweeps.remind_aangifte,
            JobKind.AANGIFTE,
            timedelta(days=14, minutes=1),
        ),
        _reminder(
            "incidents-remind-aangifte-confirmation",
            sweeps.remind_aangifte_confirmation,
            JobKind.AANGIFTE_POLICE,
            timedelta(days=8),
        ),
        _reminder("incidents-remind-idle", sweeps.remind_idle, JobKind.IDLE, timedelta(days=15)),
        anonymisation,
    ],
    ids=["escalation", "aftercare", "aangifte", "aangifte-confirmation", "idle", "anonymisation"],
)
def test_sweep_acts_on_the_healthy_meldingen_and_holds_back_the_bad_one(
    make, raadslid_a, griffier_a, bzk, settings
):
    settings.INCIDENTS_RETENTION_DAYS = 30
    beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, bzk)
    after, case = make(raadslid_a, griffier_a)
    check_survives_one_bad_case(case, at=timezone.now() + after, beheerder=beheerder)
