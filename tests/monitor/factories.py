"""Rows for the monitor's aggregation tests, written straight to the tables: the monitor
only reads columns, so each test states exactly the data its hand-computed numbers come
from (the write paths are tested in their own apps)."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from incidents.constants import AangifteStatus, Route, Status
from incidents.models import Aangifte, Melding, MeldingCategory
from otwb.constants import TourKind, TrajectStatus
from otwb.models import Tour, Traject
from tests.factories import make_user
from veiligwonen.constants import MeasureStatus
from veiligwonen.models import Advice, Application, Measure, MeasureType
from weerbaar.constants import Role


def at(year, month, day=10, hour=10):
    return timezone.make_aware(datetime(year, month, day, hour))


def melding(
    organisation,
    when,
    *,
    position="raadslid",
    role=Role.OFFICE_HOLDER,
    channel="phone",
    categories=("verbal",),
    status=Status.SUBMITTED,
    confidential=False,
    ack_after=None,
    escalation_level=0,
    aangifte=None,
    reporter=None,
):
    """One melding; ``ack_after`` a timedelta to acknowledgement; ``aangifte`` an
    AangifteStatus."""
    m = Melding.objects.create(
        organisation=organisation,
        reporter=reporter,
        reporter_role=role,
        reporter_position=position if role == Role.OFFICE_HOLDER else "",
        confidential=confidential,
        route=Route.CONFIDENTIAL if confidential else Route.GRIFFIER,
        route_organisation=None if confidential else organisation,
        status=status,
        channel=channel,
        submitted_at=None if status == Status.DRAFT else when,
        acknowledged_at=when + ack_after if ack_after is not None else None,
        escalation_level=escalation_level,
        description="Vrije tekst die nooit in de monitor mag komen",
    )
    MeldingCategory.objects.bulk_create(
        [MeldingCategory(melding=m, category=c) for c in categories]
    )
    if aangifte is not None:
        Aangifte.objects.create(
            melding=m,
            status=aangifte,
            filed_on=when.date() if aangifte != AangifteStatus.PREPARED else None,
            status_changed_at=when,
        )
    return m


class VeiligWonen:
    """Applications for one organisation with a shared applicant, quickly."""

    def __init__(self, organisation):
        self.organisation = organisation
        self.applicant = make_user(Role.OFFICE_HOLDER, organisation, "wethouder")

    def application(self, when, *, urgency="normaal", intake_days=None, advice_days=None):
        return Application.objects.create(
            applicant=self.applicant,
            organisation=self.organisation,
            position="wethouder",
            filed_by=self.applicant,
            home_address="Geheimelaan 7",
            urgency_class=urgency,
            submitted_at=when,
            intake_held_at=when + timedelta(days=intake_days) if intake_days is not None else None,
            advice_issued_at=when + timedelta(days=advice_days)
            if advice_days is not None
            else None,
        )

    def measure(self, application, completed_on, cost):
        advice, _ = Advice.objects.get_or_create(
            application=application, defaults={"author": self.applicant}
        )
        measure_type = MeasureType.objects.order_by("pk").first() or MeasureType.objects.create(
            code="pkvw",
            name="PKVW",
            domain="wonen",
            category="physical",
            responsible_party="employer",
            estimated_cost=Decimal("500"),
        )
        return Measure.objects.create(
            advice=advice,
            measure_type=measure_type,
            domain="wonen",
            category="physical",
            responsible_party="employer",
            estimated_cost=Decimal("500"),
            priority=1,
            status=MeasureStatus.DONE,
            actual_cost=Decimal(cost),
            completed_on=completed_on,
        )


def tour(name="Ronde 2026", start=(2026, 1, 1)):
    from datetime import date

    return Tour.objects.create(
        name=name, kind=TourKind.MAIN, starts_on=date(*start), ends_on=date(start[0] + 2, 12, 31)
    )


def traject(tour, organisation, *, voorgesprek=None, session=None):
    status = TrajectStatus.NOT_APPROACHED
    if voorgesprek:
        status = TrajectStatus.VOORGESPREK_HELD
    if session:
        status = TrajectStatus.SESSION_HELD
    return Traject.objects.create(
        tour=tour,
        organisation=organisation,
        status=status,
        voorgesprek_held_at=voorgesprek,
        session_held_at=session,
    )
