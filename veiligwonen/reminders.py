"""When a sweep next has something to do for an application: one column per sweep that
acts on a moment, each with a partial index of the rows where it is set.

* ``measure_reminder_at`` (``remind_open_measures``): the earliest measure reminder not yet
  sent (30, then 60 days after the advice was issued) while the case is in "advies
  uitgebracht" or "maatregelen in uitvoering" and a measure is still planned.
* ``sla_reminder_at`` (``sweep_sla``): the intake deadline's warning (``sla_warn_at``) while
  it was not sent, then the escalation (``sla_due_at``) while that was not sent, as long as
  the case waits for its intake.
* ``handoff_reminder_at`` (``remind_handoff_receipt``): the hand-off's ``receipt_due_at``
  while the case waits for the unit's confirmation of receipt and was not reminded of
  this hand-off.

Each is empty otherwise. The sweeps select on them, so a run with nothing due reads an
empty index range however many cases wait, and what they did before (their
``SweepRecord``s, which grow with history) is not read at all.

They are worked out here, in SQL, from the same state the sweeps test, and written:

* by every write path: each change to an application ends in ``services.base.save_scored``,
  which sets them in the same save (``current``: one read of the state at most, when the
  case is at a stage that has one; cleared without a query otherwise);
* by the sweeps, for the applications the index gave them, in the transaction of each chunk
  (moved on to the next level or cleared), and again for those that were not due after all;
* in bulk (``refresh``) by what writes rows without the services: the load data, the demo
  history, the bench's due makers and the migrations that added the columns.

A column may be earlier than the moment it stands for, never later: the sweeps still test
the full condition on the applications the index gives them."""

from datetime import timedelta

from django.db.models import Case, DateTimeField, Exists, F, OuterRef, Q, Subquery, When

from .constants import WAITING_FOR_INTAKE, MeasureStatus, Status, SweepKind, SweepLevel
from .models import Application, Handoff, Measure, SweepRecord

__all__ = [
    "COLUMNS",
    "MEASURE_REMINDERS",
    "MEASURE_STATUSES",
    "SLA_LEVELS",
    "current",
    "handoff_reminder",
    "measure_reminder",
    "refresh",
    "sla_reminder",
]

# (level, days after the advice), earliest first.
MEASURE_REMINDERS = ((SweepLevel.DAYS_30, 30), (SweepLevel.DAYS_60, 60))
MEASURE_STATUSES = (Status.ADVICE_ISSUED, Status.MEASURES_IN_PROGRESS)
# (level, the application's field of its moment), earliest first.
SLA_LEVELS = ((SweepLevel.WARNING, "sla_warn_at"), (SweepLevel.ESCALATION, "sla_due_at"))
COLUMNS = ("measure_reminder_at", "sla_reminder_at", "handoff_reminder_at")


def _sent(kind, level, application):
    return Exists(SweepRecord.objects.filter(application=application, kind=kind, level=level))


def _planned(application):
    return Exists(
        Measure.objects.filter(advice__application=application, status=MeasureStatus.PLANNED)
    )


def _unconfirmed(application):
    """The hand-off of ``application`` still waiting for its receipt."""
    return Handoff.objects.filter(application=application, receipt_recorded_at__isnull=True)


def measure_reminder():
    """``measure_reminder_at`` as an expression over an application's row, for ``update()``."""
    at_stage = Q(status__in=MEASURE_STATUSES, advice_issued_at__isnull=False)
    return Case(
        *(
            When(
                at_stage
                & _planned(OuterRef("pk"))
                & ~_sent(SweepKind.MEASURES, level, OuterRef("pk")),
                then=F("advice_issued_at") + timedelta(days=days),
            )
            for level, days in MEASURE_REMINDERS
        ),
        default=None,
        output_field=DateTimeField(),
    )


def sla_reminder():
    """``sla_reminder_at`` as an expression over an application's row."""
    waiting = Q(intake_held_at__isnull=True, status__in=sorted(WAITING_FOR_INTAKE))
    return Case(
        *(
            When(
                waiting
                & Q(**{f"{field}__isnull": False})
                & ~_sent(SweepKind.SLA, level, OuterRef("pk")),
                then=F(field),
            )
            for level, field in SLA_LEVELS
        ),
        default=None,
        output_field=DateTimeField(),
    )


def handoff_reminder():
    """``handoff_reminder_at`` as an expression over an application's row."""
    return Case(
        When(
            Q(status=Status.HANDOFF_PENDING)
            & ~_sent(SweepKind.HANDOFF, SweepLevel.RECEIPT, OuterRef("pk")),
            then=Subquery(_unconfirmed(OuterRef("pk")).values("receipt_due_at")[:1]),
        ),
        default=None,
        output_field=DateTimeField(),
    )


def _state(application, **exists):
    return Application.objects.filter(pk=application.pk).values(**exists).get()


def current(application):
    """The three columns for ``application`` with its fields as set in memory (what the
    save is about to write) and its measures, hand-off and sweep records as they are in the
    database, as a dict. The stages are exclusive: no query unless the case is at one that
    has a column, else one."""
    columns = dict.fromkeys(COLUMNS)
    status = application.status
    if status in MEASURE_STATUSES and application.advice_issued_at is not None:
        sent = {
            f"sent_{lvl}": _sent(SweepKind.MEASURES, lvl, OuterRef("pk"))
            for lvl, _ in MEASURE_REMINDERS
        }
        state = _state(application, planned=_planned(OuterRef("pk")), **sent)
        if state["planned"]:
            columns["measure_reminder_at"] = next(
                (
                    application.advice_issued_at + timedelta(days=days)
                    for level, days in MEASURE_REMINDERS
                    if not state[f"sent_{level}"]
                ),
                None,
            )
    elif status in WAITING_FOR_INTAKE and application.intake_held_at is None:
        moments = [(lvl, getattr(application, field)) for lvl, field in SLA_LEVELS]
        moments = [(lvl, at) for lvl, at in moments if at is not None]
        if moments and application.pk is not None:
            state = _state(
                application,
                **{f"sent_{lvl}": _sent(SweepKind.SLA, lvl, OuterRef("pk")) for lvl, _ in moments},
            )
            moments = [(lvl, at) for lvl, at in moments if not state[f"sent_{lvl}"]]
        columns["sla_reminder_at"] = moments[0][1] if moments else None
    elif status == Status.HANDOFF_PENDING and application.pk is not None:
        state = _state(
            application,
            due=Subquery(_unconfirmed(OuterRef("pk")).values("receipt_due_at")[:1]),
            sent=_sent(SweepKind.HANDOFF, SweepLevel.RECEIPT, OuterRef("pk")),
        )
        columns["handoff_reminder_at"] = None if state["sent"] else state["due"]
    return columns


def refresh(applications):
    """Write the columns of the applications of the queryset ``applications`` from their
    state, in one statement; returns how many rows it wrote."""
    return applications.update(
        measure_reminder_at=measure_reminder(),
        sla_reminder_at=sla_reminder(),
        handoff_reminder_at=handoff_reminder(),
    )
