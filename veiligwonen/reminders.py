"""When the measure-reminder sweep next has something to do for an application.

``measure_reminder_at`` is the earliest reminder not yet sent (30, then 60 days after the
advice was issued) while the case is in "advies uitgebracht" or "maatregelen in uitvoering"
and a measure is still planned; empty otherwise. The sweep selects on it through a partial
index of the rows where it is set, so a run with nothing due reads an empty index range
however many cases have measures open (as ``incidents.reminders`` does for the meldingen).

It is worked out here, in SQL, from the same state the sweep tests (``measure_reminder``),
and written:

* by every write path: each change to an application ends in ``services.base.save_scored``,
  which sets it in the same save (one read of the expression when the case is at the
  measures stage; cleared without a query otherwise);
* by the sweep, for the applications the index gave it, in the transaction of each chunk
  (moved on to the next level or cleared), and again for those that were not due after all;
* in bulk (``refresh``) by what writes rows without the services: the load data, the
  bench's due maker and the migration that added the column.

It may be earlier than the moment it stands for, never later: the sweep still tests the
full condition on the applications the index gives it."""

from datetime import timedelta

from django.db.models import Case, DateTimeField, Exists, F, OuterRef, Q, When

from .constants import MeasureStatus, Status, SweepKind, SweepLevel
from .models import Application, Measure, SweepRecord

__all__ = ["MEASURE_REMINDERS", "MEASURE_STATUSES", "current", "measure_reminder", "refresh"]

# (level, days after the advice), earliest first.
MEASURE_REMINDERS = ((SweepLevel.DAYS_30, 30), (SweepLevel.DAYS_60, 60))
MEASURE_STATUSES = (Status.ADVICE_ISSUED, Status.MEASURES_IN_PROGRESS)


def _sent(level, application):
    return Exists(
        SweepRecord.objects.filter(application=application, kind=SweepKind.MEASURES, level=level)
    )


def _planned(application):
    return Exists(
        Measure.objects.filter(advice__application=application, status=MeasureStatus.PLANNED)
    )


def measure_reminder():
    """The column as an expression over an application's row, for ``update()``."""
    at_stage = Q(status__in=MEASURE_STATUSES, advice_issued_at__isnull=False)
    return Case(
        *(
            When(
                at_stage & _planned(OuterRef("pk")) & ~_sent(level, OuterRef("pk")),
                then=F("advice_issued_at") + timedelta(days=days),
            )
            for level, days in MEASURE_REMINDERS
        ),
        default=None,
        output_field=DateTimeField(),
    )


def current(application):
    """The column for ``application`` with its fields as set in memory (what the save is
    about to write) and its measures and reminders as they are in the database: ``None``
    without a query unless it is at the measures stage, else one query."""
    if application.status not in MEASURE_STATUSES or application.advice_issued_at is None:
        return None
    state = (
        Application.objects.filter(pk=application.pk)
        .values(
            planned=_planned(OuterRef("pk")),
            **{f"sent_{level}": _sent(level, OuterRef("pk")) for level, _ in MEASURE_REMINDERS},
        )
        .get()
    )
    if not state["planned"]:
        return None
    for level, days in MEASURE_REMINDERS:
        if not state[f"sent_{level}"]:
            return application.advice_issued_at + timedelta(days=days)
    return None


def refresh(applications):
    """Write the column of the applications of the queryset ``applications`` from their
    state, in one statement; returns how many rows it wrote."""
    return applications.update(measure_reminder_at=measure_reminder())
