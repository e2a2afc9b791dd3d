"""The employer's follow-up of the advised measures, and the cost totals."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar import audit
from weerbaar.constants import AuditAction

from ..access import case_roles
from ..constants import NATIONAL_BUDGET_EUR, MeasureStatus, Status, TimelineKind
from ..models import Measure
from ..timeline_texts import line
from ..workflow import CaseRole, TransitionNotAllowed
from .base import apply_transition, lock, save_scored, timeline

__all__ = ["employer_totals", "national_totals", "update_measure"]


def update_measure(
    measure, *, actor, status, actual_cost=None, completed_on=None, decline_reason="", request=None
):
    """Record what became of one measure. The first update moves the case to "maatregelen
    in uitvoering"; when no measure is planned any more the case is completed."""
    if status == MeasureStatus.DECLINED and not decline_reason.strip():
        raise TransitionNotAllowed(_("Geef de reden op waarom van de maatregel is afgezien."))
    with transaction.atomic():
        app = lock(measure.advice.application)
        if CaseRole.EMPLOYER not in case_roles(actor, app):
            raise TransitionNotAllowed(_("Alleen de werkgever houdt de maatregelen bij."))
        if app.status not in (Status.ADVICE_ISSUED, Status.MEASURES_IN_PROGRESS):
            raise TransitionNotAllowed(_("De maatregelen kunnen nu niet worden bijgewerkt."))
        measure = Measure.objects.select_for_update().get(pk=measure.pk, advice__application=app)
        measure.status = status
        measure.actual_cost = actual_cost if status == MeasureStatus.DONE else None
        measure.completed_on = (
            (completed_on or timezone.localdate()) if status != MeasureStatus.PLANNED else None
        )
        measure.decline_reason = decline_reason if status == MeasureStatus.DECLINED else ""
        measure.save()
        timeline(
            app,
            actor=actor,
            kind=TimelineKind.MEASURE,
            text=line(
                "measure", n=str(measure.measure_type), s=MeasureStatus(measure.status).value
            ),
        )
        audit.record(
            AuditAction.UPDATE,
            actor=actor,
            obj=app,
            request=request,
            measure=measure.pk,
            measure_status=status,
        )
        if app.status == Status.ADVICE_ISSUED:
            apply_transition(app, "start_measures", actor=actor, request=request)
        if (
            app.status == Status.MEASURES_IN_PROGRESS
            and not Measure.objects.filter(
                advice__application=app, status=MeasureStatus.PLANNED
            ).exists()
        ):
            apply_transition(app, "complete", actor=actor, request=request)
        save_scored(app)
        return measure


def _done(queryset):
    return queryset.filter(status=MeasureStatus.DONE, completed_on__isnull=False)


def employer_totals(applications):
    """Actual cost of executed measures per employer and year, for the applications the
    caller may see: [{organisation__name, year, total, measures}]."""
    return list(
        _done(Measure.objects.filter(advice__application__in=applications))
        .annotate(year=ExtractYear("completed_on"))
        .values("advice__application__organisation__name", "year")
        .annotate(total=Sum("actual_cost"), measures=Count("pk"))
        .order_by("-year", "advice__application__organisation__name")
    )


def national_totals():
    """Actual cost per year nationally against the yearly BZK contribution."""
    rows = (
        _done(Measure.objects.all())
        .annotate(year=ExtractYear("completed_on"))
        .values("year")
        .annotate(total=Sum("actual_cost"), measures=Count("pk"))
        .order_by("-year")
    )
    budget = Decimal(NATIONAL_BUDGET_EUR)
    return [
        {
            **row,
            "budget": budget,
            "remaining": budget - (row["total"] or 0),
            "share": round((row["total"] or 0) * 100 / budget, 1),
        }
        for row in rows
    ]
