"""Deadlines in working time: weekdays that are not Dutch public holidays, office hours
09:00-17:00 Europe/Amsterdam. All results are aware datetimes."""

from datetime import datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

__all__ = ["add_working_days", "add_working_hours", "is_working_day", "working_days_between"]

TZ = ZoneInfo("Europe/Amsterdam")
DAY_START, DAY_END = time(9), time(17)
HOURS_PER_DAY = 8


@lru_cache(maxsize=64)
def _holidays(year):
    return holidays.country_holidays("NL", years=year)


def is_working_day(day):
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start, days):
    """The same clock time ``days`` working days later (start on a day off counts from the
    next working day's start)."""
    local = start.astimezone(TZ)
    if not is_working_day(local.date()):
        local = _next_day_start(local)
    current = local.date()
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return datetime.combine(current, local.timetz().replace(tzinfo=None), TZ)


def add_working_hours(start, hours):
    """``hours`` of office time after ``start``; time outside office hours does not count."""
    local = start.astimezone(TZ)
    remaining = timedelta(hours=hours)
    while True:
        day = local.date()
        if not is_working_day(day) or local.time() >= DAY_END:
            local = _next_day_start(local)
            continue
        if local.time() < DAY_START:
            local = datetime.combine(day, DAY_START, TZ)
        end_of_day = datetime.combine(day, DAY_END, TZ)
        available = end_of_day - local
        if remaining <= available:
            return local + remaining
        remaining -= available
        local = _next_day_start(local)


def working_days_between(start, end):
    """Whole working days from ``start``'s date to ``end``'s date (0 on the same day)."""
    a, b = start.astimezone(TZ).date(), end.astimezone(TZ).date()
    sign = 1
    if b < a:
        a, b, sign = b, a, -1
    # Weekdays in (a, b] by arithmetic, minus the public holidays that fall on one: this
    # runs for every row of the Veilig Wonen queue, so no walk day by day.
    days = (b - a).days
    weeks, rest = divmod(days, 7)
    weekdays = weeks * 5 + sum((a + timedelta(days=i)).weekday() < 5 for i in range(1, rest + 1))
    holidays_on_weekdays = sum(
        1
        for year in range(a.year, b.year + 1)
        for day in _holidays(year)
        if a < day <= b and day.weekday() < 5
    )
    return sign * (weekdays - holidays_on_weekdays)


def _next_day_start(local):
    day = local.date() + timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, DAY_START, TZ)
