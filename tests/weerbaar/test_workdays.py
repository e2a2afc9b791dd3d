import random
from datetime import date, datetime, time, timedelta

from weerbaar.workdays import TZ, add_working_days, is_working_day, working_days_between


def at(day):
    return datetime.combine(day, time(10), TZ)


def walked(a, b):
    count, day = 0, a
    while day < b:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count


def test_working_days_between_matches_a_day_by_day_count():
    rng = random.Random(7)
    for _ in range(300):
        a = date(2024, 1, 1) + timedelta(days=rng.randrange(1100))
        b = a + timedelta(days=rng.randrange(400))
        assert working_days_between(at(a), at(b)) == walked(a, b), (a, b)
        assert working_days_between(at(b), at(a)) == -walked(a, b)


def test_christmas_and_weekend_are_skipped():
    # Thursday 24 Dec 2026 → Monday 28 Dec: 25/26 Dec are holidays, 27 Dec is a Sunday.
    assert working_days_between(at(date(2026, 12, 24)), at(date(2026, 12, 28))) == 1
    assert add_working_days(at(date(2026, 12, 24)), 1).date() == date(2026, 12, 28)
