"""Whether a trainer can be asked for a slot, from the weekly pattern and the exceptions.

``is_available`` judges rows already fetched (the write paths, one trainer);
``AVAILABLE_SQL`` is the same rule as an SQL expression over the trainer's row, so the
planner can sort and cut the whole pool in the database."""

from django.utils import timezone

__all__ = ["AVAILABLE_SQL", "is_available", "slot_parameters"]


def _covers(start_time, end_time, slot_start, slot_end):
    return start_time <= slot_start and end_time >= slot_end


def is_available(weekly, exceptions, starts_at, ends_at):
    """``weekly``: the trainer's WeeklyAvailability rows; ``exceptions``: their
    AvailabilityException rows (any dates). A slot spanning midnight is never available."""
    start = timezone.localtime(starts_at)
    end = timezone.localtime(ends_at)
    if start.date() != end.date():
        return False
    day = start.date()
    todays = [e for e in exceptions if e.date == day]
    for exc in todays:
        whole_day = exc.start_time is None or exc.end_time is None
        if not exc.available and (
            whole_day or (exc.start_time < end.time() and exc.end_time > start.time())
        ):
            return False
    for exc in todays:
        windowed = exc.start_time is not None and exc.end_time is not None
        if (
            exc.available
            and windowed
            and _covers(exc.start_time, exc.end_time, start.time(), end.time())
        ):
            return True
    return any(
        w.weekday == day.weekday() and _covers(w.start_time, w.end_time, start.time(), end.time())
        for w in weekly
    )


# ``is_available`` as SQL over a trainer row ``t``, with the parameters of
# ``slot_parameters``: an absence that day overlapping the slot rules it out; otherwise a
# window of that day's exceptions or of the weekday's pattern must cover it. Constant text,
# so the planner's statement is never compiled (otwb/planner.py).
AVAILABLE_SQL = """(
    %(same_day)s
    AND NOT EXISTS (
        SELECT 1 FROM otwb_availabilityexception x
        WHERE x.trainer_id = t.id AND x.date = %(day)s AND NOT x.available
          AND (x.start_time IS NULL OR x.end_time IS NULL
               OR (x.start_time < %(end_time)s AND x.end_time > %(start_time)s))
    )
    AND (
        EXISTS (
            SELECT 1 FROM otwb_availabilityexception x
            WHERE x.trainer_id = t.id AND x.date = %(day)s AND x.available
              AND x.start_time <= %(start_time)s AND x.end_time >= %(end_time)s
        )
        OR EXISTS (
            SELECT 1 FROM otwb_weeklyavailability w
            WHERE w.trainer_id = t.id AND w.weekday = %(weekday)s
              AND w.start_time <= %(start_time)s AND w.end_time >= %(end_time)s
        )
    )
)"""


def slot_parameters(starts_at, ends_at):
    """The parameters of ``AVAILABLE_SQL`` for a slot. A slot spanning midnight is never
    available (``same_day`` false)."""
    start = timezone.localtime(starts_at)
    end = timezone.localtime(ends_at)
    return {
        "same_day": start.date() == end.date(),
        "day": start.date(),
        "weekday": start.date().weekday(),
        "start_time": start.time(),
        "end_time": end.time(),
    }
