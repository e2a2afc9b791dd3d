"""Whether a trainer can be asked for a slot, from the weekly pattern and the exceptions.

``is_available`` judges rows already fetched (the write paths, one trainer); ``available``
is the same rule as an SQL expression over the trainer's row, so the planner can sort and
cut the whole pool in the database."""

from django.db.models import Exists, OuterRef, Q, Value
from django.utils import timezone

__all__ = ["available", "is_available"]


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


def available(starts_at, ends_at):
    """``is_available`` for the slot as a boolean expression over a Trainer row (``pk``):
    an absence that day overlapping the slot rules it out; otherwise a window of that day's
    exceptions or of the weekday's pattern must cover it."""
    from .models import AvailabilityException, WeeklyAvailability

    start = timezone.localtime(starts_at)
    end = timezone.localtime(ends_at)
    if start.date() != end.date():
        return Value(False)
    day, st, et = start.date(), start.time(), end.time()
    exceptions = AvailabilityException.objects.filter(trainer=OuterRef("pk"), date=day)
    away = exceptions.filter(
        Q(start_time__isnull=True)
        | Q(end_time__isnull=True)
        | Q(start_time__lt=et, end_time__gt=st),
        available=False,
    )
    extra = exceptions.filter(available=True, start_time__lte=st, end_time__gte=et)
    weekly = WeeklyAvailability.objects.filter(
        trainer=OuterRef("pk"), weekday=day.weekday(), start_time__lte=st, end_time__gte=et
    )
    return ~Exists(away) & (Exists(extra) | Exists(weekly))
