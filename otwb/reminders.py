"""When the tour's sweeps next have something to do: a column per sweep, each with a
partial index of the rows where it is set, so a run with nothing due reads an empty index
range however many agreements are open or sessions planned (as ``incidents.reminders``
does for the meldingen).

* ``FollowUpAgreement.flag_on`` (``sweep_overdue_agreements``): the day after ``due_on``
  while the agreement is open and was not flagged.
* ``Session.reminder_at`` (``sweep_session_reminders``): 7 days before the start while
  that reminder was not sent, then 1 day before, while the session is planned or
  confirmed.
* ``Session.evaluation_request_at`` (``sweep_evaluation_requests``): the first midnight
  after the end while the session is held and its participants were not asked.

Each is empty otherwise. They are written:

* by the write path: ``services.trajecten`` sets and clears ``flag_on`` in the statement
  that makes or completes the agreement; ``Session.save`` works out the session's two
  from the fields it is about to write (``current_moments``), so every service that
  creates, confirms, moves, holds or cancels a session keeps them, and so does whatever
  else saves a session (the admin, the tests' factories). Registering a driehoek changes
  no moment: the reminders go to whoever takes part when they are sent;
* by the sweeps, for the rows the index gave them, in the transaction of each chunk
  (moved on to the next reminder or cleared), and again for those that were not due after
  all, with the time of the run: a moment that can no longer come (the session began
  unreminded, or ended too long ago to ask) is then cleared;
* in bulk by what writes rows without saving them: ``refresh`` and ``refresh_sessions``
  (the bench's due makers, the migrations that added the columns) and ``session_moments``
  for new sessions (the load data's COPY, the demo history).

A column may be earlier than the moment it stands for, never later: the sweeps still test
the full condition."""

from datetime import datetime, time, timedelta

from django.db.models import Case, DateField, DateTimeField, Exists, F, Func, OuterRef, Q, When
from django.utils import timezone

from .constants import SessionStatus, SweepKind
from .models import FollowUpAgreement, Session, SweepRecord

__all__ = [
    "EVALUATION_DAYS",
    "SESSION_COLUMNS",
    "agreement_flag",
    "current_moments",
    "day_after",
    "evaluation_request",
    "oldest_evaluated",
    "refresh",
    "refresh_sessions",
    "session_moments",
    "session_reminder",
    "start_of_day",
]


def agreement_flag():
    """The column as an expression over an agreement's row, for ``update()``."""
    flagged = SweepRecord.objects.filter(
        object_type=FollowUpAgreement._meta.model_name,
        object_id=OuterRef("pk"),
        kind=SweepKind.AGREEMENT_OVERDUE,
    )
    return Case(
        When(Q(done_at__isnull=True) & ~Exists(flagged), then=F("due_on") + timedelta(days=1)),
        default=None,
        output_field=DateField(),
    )


def refresh(agreements):
    """Write the column of the agreements of the queryset ``agreements`` from their state,
    in one statement; returns how many rows it wrote."""
    return agreements.update(flag_on=agreement_flag())


# The session sweeps (``jobs.sweep_session_reminders``, ``jobs.sweep_evaluation_requests``).
OPEN = (SessionStatus.PLANNED, SessionStatus.CONFIRMED)
# (kind, days before the start), earliest first.
SESSION_REMINDERS = ((SweepKind.REMINDER_7D, 7), (SweepKind.REMINDER_1D, 1))
# Sessions that ended longer ago than this are not asked for an evaluation any more.
EVALUATION_DAYS = 14
SESSION_COLUMNS = ("reminder_at", "evaluation_request_at")
SESSION_KINDS = (*(kind for kind, _days in SESSION_REMINDERS), SweepKind.EVALUATION_REQUEST)


def start_of_day(now):
    """Local midnight of the day of ``now``."""
    return timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)


def oldest_evaluated(now):
    """Sessions that ended before this are not asked for an evaluation at ``now``."""
    return start_of_day(now) - timedelta(days=EVALUATION_DAYS)


def day_after(moment):
    """The first local midnight after ``moment``: when a session that ended then is first
    asked for its evaluation."""
    tz = timezone.get_default_timezone()
    day = timezone.localtime(moment, tz).date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time()), tz)


def session_moments(session, sent=(), *, now=None):
    """(``reminder_at``, ``evaluation_request_at``) of ``session`` from its fields as set
    in memory and the sweep kinds already done for it (``sent``). With ``now``, a moment
    that can no longer come (the session began, or ended too long ago) is left empty."""
    reminder = evaluation = None
    if session.status in OPEN and (now is None or session.starts_at > now):
        reminder = next(
            (
                session.starts_at - timedelta(days=days)
                for kind, days in SESSION_REMINDERS
                if kind not in sent
            ),
            None,
        )
    elif (
        session.status == SessionStatus.HELD
        and SweepKind.EVALUATION_REQUEST not in sent
        and (now is None or session.ends_at >= oldest_evaluated(now))
    ):
        evaluation = day_after(session.ends_at)
    return reminder, evaluation


def current_moments(session):
    """``session_moments`` with what was sent as the database has it: one query for a
    saved session that is open or held, none otherwise. ``Session.save`` calls it."""
    sent = ()
    if session.pk is not None and session.status in (*OPEN, SessionStatus.HELD):
        sent = set(
            SweepRecord.objects.filter(
                object_type=Session._meta.model_name, object_id=session.pk, kind__in=SESSION_KINDS
            ).values_list("kind", flat=True)
        )
    return session_moments(session, sent)


def _sent(kind):
    return Exists(
        SweepRecord.objects.filter(
            object_type=Session._meta.model_name, object_id=OuterRef("pk"), kind=kind
        )
    )


class DayAfter(Func):
    """``day_after`` in SQL. SQLite (``make run``) has no time zones: there it is the
    moment itself, earlier than the midnight, which a column may be."""

    output_field = DateTimeField()

    def as_sql(self, compiler, connection, **extra):
        return compiler.compile(self.source_expressions[0])

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        tz = timezone.get_default_timezone_name()
        return (
            f"((DATE_TRUNC('day', {sql} AT TIME ZONE %s) + INTERVAL '1 day') AT TIME ZONE %s)",
            (*params, tz, tz),
        )


def session_reminder(now=None):
    """``reminder_at`` as an expression over a session's row, for ``update()``."""
    upcoming = Q(status__in=OPEN) if now is None else Q(status__in=OPEN, starts_at__gt=now)
    return Case(
        *(
            When(upcoming & ~_sent(kind), then=F("starts_at") - timedelta(days=days))
            for kind, days in SESSION_REMINDERS
        ),
        default=None,
        output_field=DateTimeField(),
    )


def evaluation_request(now=None):
    """``evaluation_request_at`` as an expression over a session's row."""
    held = Q(status=SessionStatus.HELD)
    if now is not None:
        held &= Q(ends_at__gte=oldest_evaluated(now))
    return Case(
        When(held & ~_sent(SweepKind.EVALUATION_REQUEST), then=DayAfter("ends_at")),
        default=None,
        output_field=DateTimeField(),
    )


def refresh_sessions(sessions, *, now=None):
    """Write both columns of the sessions of the queryset ``sessions`` from their state
    (with ``now``: as ``session_moments`` with ``now``), in one statement; returns how
    many rows it wrote."""
    return sessions.update(
        reminder_at=session_reminder(now), evaluation_request_at=evaluation_request(now)
    )
