"""Which trainers can take a slot, and how busy each one is.

The pool is judged, sorted and cut in the database: one query gives the trainers with their
standing for the slot (available, clashing, assigned: index probes per trainer) and their
loads (a count over an index range per trainer), proposable first, least loaded first, and
at most ``limit`` of them. So the page builds and renders a fixed number of rows however
large the pool grows, and what each row reads is bounded by the planning window, not by
the years of assignments behind it."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.utils import timezone

from .availability import AVAILABLE_SQL, slot_parameters
from .models import Trainer

__all__ = ["PLANNER_ROWS", "Proposal", "propose_trainers"]

# Rows the planner shows before "all trainers": more than a coordinator compares at once.
PLANNER_ROWS = 30

# The pool with each trainer's standing for the slot and loads, proposable first, least
# loaded first, at most ``limit`` (NULL: all). Constant text with parameters: built and
# compiled through the ORM the same statement cost about 8 ms of the planner's CPU on every
# request (issue 25 §2), more than the rest of the page together. An active assignment lies
# within one local day (the write paths assign and move only to a slot the trainer is
# available for, and a slot across midnight never is), so one that overlaps the slot
# started less than two days before it (``clash_from``): the probe reads that range of the
# trainer's index, not their history. The write path checks any overlap.
_STATEMENT = f"""
SELECT * FROM (
    SELECT t.*,
        {AVAILABLE_SQL} AS is_available,
        EXISTS (
            SELECT 1 FROM otwb_assignment a
            WHERE a.trainer_id = t.id AND a.active
              AND a.starts_at > %(clash_from)s AND a.starts_at < %(ends_at)s
              AND a.ends_at > %(starts_at)s
              AND a.session_id IS DISTINCT FROM %(session)s
        ) AS clashes,
        EXISTS (
            SELECT 1 FROM otwb_assignment a
            WHERE a.trainer_id = t.id AND a.active AND a.session_id = %(session)s
        ) AS assigned,
        (
            SELECT COUNT(*) FROM otwb_assignment a
            WHERE a.trainer_id = t.id AND a.active AND a.starts_at >= %(now)s
        ) AS load_upcoming,
        (
            SELECT COUNT(*) FROM otwb_assignment a
            WHERE a.trainer_id = t.id AND a.active
              AND a.starts_at >= %(month_start)s AND a.starts_at < %(month_end)s
        ) AS load_month
    FROM otwb_trainer t
    WHERE t.is_active
) AS t
ORDER BY (t.is_available AND NOT t.clashes AND NOT t.assigned) DESC, t.load_upcoming, t.name, t.id
LIMIT %(limit)s
"""  # noqa: S608 (AVAILABLE_SQL is constant text too)


@dataclass
class Proposal:
    trainer: Trainer
    available: bool
    clashes: bool
    assigned: bool
    load_upcoming: int
    load_month: int

    @property
    def proposable(self):
        return self.available and not self.clashes and not self.assigned


def statement_parameters(starts_at, ends_at, *, session=None, now=None, limit=None, using=None):
    """The parameters of ``_STATEMENT`` for the slot, adapted for the database as the ORM
    would (SQLite, ``make run``, binds no ``time`` and keeps datetimes as text)."""
    db = using or connection
    ops = db.ops
    now = now or timezone.now()
    local = timezone.localtime(starts_at)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    month_end = (month_start + timedelta(days=32)).replace(day=1)
    params = {
        **slot_parameters(starts_at, ends_at),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "clash_from": starts_at - timedelta(days=2),
        "session": session.pk if session is not None else None,
        "now": now,
        "month_start": month_start,
        "month_end": month_end,
        # No limit: NULL for PostgreSQL, -1 for SQLite (which refuses NULL).
        "limit": -1 if limit is None and db.vendor == "sqlite" else limit,
    }
    for name, value in params.items():
        if isinstance(value, datetime):
            params[name] = ops.adapt_datetimefield_value(value)
        elif isinstance(value, date):
            params[name] = ops.adapt_datefield_value(value)
        elif isinstance(value, time):
            params[name] = ops.adapt_timefield_value(value)
    return params


def propose_trainers(starts_at, ends_at, *, session=None, now=None, limit=None):
    """Every active trainer with their standing for the slot, or the first ``limit``; the
    proposable first, least loaded first."""
    params = statement_parameters(starts_at, ends_at, session=session, now=now, limit=limit)
    return [
        Proposal(
            trainer=t,
            available=t.is_available,
            clashes=t.clashes,
            assigned=t.assigned,
            load_upcoming=t.load_upcoming,
            load_month=t.load_month,
        )
        for t in Trainer.objects.raw(_STATEMENT, params)
    ]
