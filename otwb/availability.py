"""Whether a trainer can be asked for a slot, from the weekly pattern and the exceptions.

Pure functions over rows already fetched, so the planner can judge every trainer without a
query per trainer."""

from django.utils import timezone

__all__ = ["is_available"]


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
