"""When each reminder sweep next has something to do for a melding.

Each reminder sweep (``services.sweeps``) selects on a column of its own on the melding,
through a partial index of the rows where it is set, so a run with nothing due reads an
empty range of an index however many cases are open (as ``next_escalation_at`` does for
the escalation ladder):

* ``aftercare_reminder_at``: acknowledgement + 7 days, then + 28 days, while acknowledged
  and open and that check was not done;
* ``aangifte_reminder_at``: the aangifte's last status change + 14 days, while the
  melding is open, the aangifte not closed and not reminded of since that change;
* ``police_reminder_at``: the aangifte's ``confirm_due_at``, while it is filed, the police
  have not confirmed it, the melding is open and it was not reminded of since;
* ``idle_reminder_at``: the last activity + 14 days, while acknowledged and open and not
  reminded of since that activity.

With them, and written the same way, ``aangifte_changed_at``: the aangifte's last status
change while it is not closed and the melding open, which the start page's "Status van de
aangifte gevraagd" counts by (``filters.aangifte_due_q``; ``KEPT`` names all five).

The columns are worked out here, in SQL, from the same state the sweeps test (``columns``),
so there is one definition. They are written:

* with every change to a case: every write path locks the melding, changes it and calls
  ``services.common.log``, whose UPDATE of the last activity writes the columns too (no
  extra statement). Status, acknowledgement, aangifte and activity change only there;
* by the sweeps, for the meldingen they reminded (the column moves on or is cleared), in
  the transaction of the chunk;
* in bulk (``refresh``) by what writes rows without the services: the demo history, the
  load data and the bench's due makers, and the migration that added the columns.

A column may be earlier than the moment it stands for (a sweep that finds a case that is not
due after all sets its column again), never later: the sweeps still test the full condition
of before on the meldingen the index gives them."""

from datetime import timedelta

from django.db.models import Case, DateTimeField, Exists, F, OuterRef, Q, Subquery, Value, When

from .constants import OPEN_STATUSES, AangifteStatus, JobKind
from .models import Aangifte, JobRecord

__all__ = [
    "AANGIFTE_DAYS",
    "ACKED_STATUSES",
    "AFTERCARE_DAYS",
    "COLUMNS",
    "IDLE_DAYS",
    "KEPT",
    "columns",
    "refresh",
]

AFTERCARE_DAYS = (7, 28)
AANGIFTE_DAYS = 14
IDLE_DAYS = 14
ACKED_STATUSES = OPEN_STATUSES[1:]
COLUMNS = (
    "aftercare_reminder_at",
    "aangifte_reminder_at",
    "police_reminder_at",
    "idle_reminder_at",
)
# Every column ``columns`` writes: the reminders', and the last status change of an open
# case's aangifte that is not closed, which the start page counts by (issue 25 §2).
KEPT = (*COLUMNS, "aangifte_changed_at")


def _reminded(kind, melding, **since):
    return Exists(JobRecord.objects.filter(melding=melding, kind=kind, **since))


def _aftercare():
    acked = Q(status__in=ACKED_STATUSES, acknowledged_at__isnull=False)
    return Case(
        *(
            When(
                acked & ~_reminded(JobKind.AFTERCARE, OuterRef("pk"), level=days),
                then=F("acknowledged_at") + timedelta(days=days),
            )
            for days in AFTERCARE_DAYS
        ),
        default=None,
        output_field=DateTimeField(),
    )


def _of_aangifte(rows, moment):
    """The open melding's aangifte's ``moment`` among ``rows`` (at most one: one-to-one)."""
    return Case(
        When(Q(status__in=OPEN_STATUSES), then=Subquery(rows.values(moment)[:1])),
        default=None,
        output_field=DateTimeField(),
    )


def _aangifte():
    rows = (
        Aangifte.objects.filter(melding=OuterRef("pk"))
        .exclude(status=AangifteStatus.CLOSED)
        .exclude(
            _reminded(
                JobKind.AANGIFTE, OuterRef("melding"), acted_at__gt=OuterRef("status_changed_at")
            )
        )
        .annotate(due=F("status_changed_at") + timedelta(days=AANGIFTE_DAYS))
    )
    return _of_aangifte(rows, "due")


def _police():
    rows = Aangifte.objects.filter(
        melding=OuterRef("pk"), status=AangifteStatus.FILED, police_confirmed_on__isnull=True
    ).exclude(
        _reminded(
            JobKind.AANGIFTE_POLICE, OuterRef("melding"), acted_at__gte=OuterRef("confirm_due_at")
        )
    )
    return _of_aangifte(rows, "confirm_due_at")


def _idle(activity):
    if activity is None:
        since, due = OuterRef("last_activity_at"), F("last_activity_at") + timedelta(days=IDLE_DAYS)
    else:
        since, due = Value(activity), Value(activity + timedelta(days=IDLE_DAYS))
    return Case(
        When(
            Q(status__in=ACKED_STATUSES)
            & ~_reminded(JobKind.IDLE, OuterRef("pk"), acted_at__gt=since),
            then=due,
        ),
        default=None,
        output_field=DateTimeField(),
    )


def _aangifte_changed():
    rows = Aangifte.objects.filter(melding=OuterRef("pk")).exclude(status=AangifteStatus.CLOSED)
    return _of_aangifte(rows, "status_changed_at")


def columns(*, activity=None):
    """The reminder columns, and ``aangifte_changed_at`` (``KEPT``), as expressions over a
    melding's row, for ``update()``. ``activity``: the last activity the same UPDATE writes
    (its SET clause reads the row as it was)."""
    return {
        "aftercare_reminder_at": _aftercare(),
        "aangifte_reminder_at": _aangifte(),
        "police_reminder_at": _police(),
        "idle_reminder_at": _idle(activity),
        "aangifte_changed_at": _aangifte_changed(),
    }


def refresh(meldingen):
    """Write the reminder columns of the meldingen of the queryset ``meldingen`` from their
    state, in one statement; returns how many rows it wrote."""
    return meldingen.update(**columns())
