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

from weerbaar.models import Organisation

from ..models import SummaryState
from ..selection import KINDS
from ..suppression import THRESHOLD

__all__ = ["STALE_AFTER", "Source", "current", "groups_digest", "source", "using"]

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


def _digest_sql():
    """A digest of every decentral organisation's kind and province, as SQL."""
    kinds = ", ".join(["%s"] * len(KINDS))
    sql = (
        "SELECT md5(COALESCE(string_agg(id::text || ':' || kind || ':' || "  # noqa: S608
        "COALESCE(province_id, 0)::text, ',' ORDER BY id), '')) "
        f"FROM {Organisation._meta.db_table} WHERE kind IN ({kinds})"
    )
    return sql, [str(k) for k in KINDS]


def groups_digest():
    sql, params = _digest_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def source(now=None):
    """The source for a build starting ``now``: one query on PostgreSQL, none on SQLite
    (the zero-setup ``make run`` database always counts live)."""
    now = now or timezone.now()
    if connection.vendor != "postgresql":
        return Source(False, now)
    digest, params = _digest_sql()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT refreshed_at, people_cap, groups = ({digest}) "  # noqa: S608
            f"FROM {SummaryState._meta.db_table} WHERE id = 1",
            params,
        )
        row = cursor.fetchone()
    usable = (
        row is not None
        and row[0] is not None
        and row[1] == THRESHOLD
        and row[2]
        and now - row[0] <= STALE_AFTER
    )
    return Source(True, row[0]) if usable else Source(False, now)


_CURRENT = ContextVar("monitor_summary_source", default=None)


def current():
    """The source of the build in progress, or a fresh decision outside one."""
    chosen = _CURRENT.get()
    return chosen if chosen is not None else source()


@contextlib.contextmanager
def using(chosen=None):
    """Every aggregate inside reads from ``chosen`` (default: the source of an enclosing
    ``using``, else decided now)."""
    if chosen is None:
        chosen = _CURRENT.get() or source()
    token = _CURRENT.set(chosen)
    try:
        yield _CURRENT.get()
    finally:
        _CURRENT.reset(token)
