"""English pages write dates the Dutch way too ("6 December 2026 18:11"), so a date reads
the same in both languages."""

from ..nl.formats import (  # noqa: F401
    DATE_FORMAT,
    DATETIME_FORMAT,
    MONTH_DAY_FORMAT,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    TIME_FORMAT,
    YEAR_MONTH_FORMAT,
)
