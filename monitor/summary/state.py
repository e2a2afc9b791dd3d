"""Whether the page reads the summary or counts live, decided once per monitor build.

The summary is read when it is on PostgreSQL, complete (a refresh succeeded) and recent:
refreshed within ``STALE_AFTER``. Otherwise the figures are counted live from the
meldingen, as before the summary existed: the numbers are the same, the page is slower
(at national scale about as slow as in docs/performance.md "Monitor", before), and the
page says they were computed just now. A missing or stopped sweep therefore never shows
old figures as current, and never shows no figures at all."""

import contextlib
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from ..models import SummaryState
from ..suppression import THRESHOLD

__all__ = ["STALE_AFTER", "Source", "current", "source", "using"]

# The sweep runs every 15 minutes: two hours is eight missed runs.
STALE_AFTER = timedelta(hours=2)


@dataclass(frozen=True)
class Source:
    """``summary``: read the summary; ``at``: how fresh the figures are (the summary's
    refresh, or now when counted live)."""

    summary: bool
    at: datetime

    @property
    def live(self):
        return not self.summary


def source(now=None):
    """The source for a build starting ``now``: one query on PostgreSQL, none on SQLite
    (the zero-setup ``make run`` database always counts live)."""
    now = now or timezone.now()
    if connection.vendor != "postgresql":
        return Source(False, now)
    state = SummaryState.objects.filter(pk=1).first()
    usable = (
        state is not None
        and state.refreshed_at is not None
        and state.people_cap == THRESHOLD
        and now - state.refreshed_at <= STALE_AFTER
    )
    return Source(True, state.refreshed_at) if usable else Source(False, now)


_CURRENT = ContextVar("monitor_summary_source", default=None)


def current():
    """The source of the build in progress, or a fresh decision outside one."""
    chosen = _CURRENT.get()
    return chosen if chosen is not None else source()


@contextlib.contextmanager
def using(chosen=None):
    """Every aggregate inside reads from ``chosen`` (default: decided now)."""
    token = _CURRENT.set(chosen if chosen is not None else source())
    try:
        yield _CURRENT.get()
    finally:
        _CURRENT.reset(token)
