"""The daily rescoring of the intake queue.

Every change of an application recomputes its score in its own transaction
(``save_scored``); what changes without anyone touching the case are the waiting points,
once per working day. So a stored score is out of date only when a working day began
after it was computed, or when its inputs were changed without rescoring (a database
trigger then clears ``scored_at``, migration 0003). Those are the rows this sweep reads,
through a partial index on ``scored_at``: on a weekend, a holiday or a second run that is
nothing, one indexed query."""

from datetime import datetime, time, timedelta

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from weerbaar.sweeps import run
from weerbaar.workdays import TZ, is_working_day

from .. import scoring
from ..constants import OPEN
from ..models import Application

__all__ = ["rescore_open", "stale", "stale_before"]

BATCH = 500
SCORE_INPUTS = (
    "urgency_class",
    "recent_threats",
    "public_exposure",
    "incidents_at_home",
    "planned_move",
    "linked_meldingen",
    "submitted_at",
)


def stale_before(now):
    """Scores computed before this moment are out of date: the start of the last working
    day up to ``now`` (waiting points count working days by their date)."""
    day = timezone.localtime(now, TZ).date()
    while not is_working_day(day):
        day -= timedelta(days=1)
    return datetime.combine(day, time(0), TZ)


def stale(now):
    """The open applications whose score is out of date, with what scoring reads. Two
    index ranges in one UNION ALL: as ``IS NULL OR <`` the planner misjudges the NULLs
    (closed applications have them) and scans every open application."""
    open_ = Application.objects.filter(status__in=sorted(OPEN)).only(
        "pk", "score", "scored_at", *SCORE_INPUTS
    )
    return open_.filter(scored_at__isnull=True).union(
        open_.filter(scored_at__lt=stale_before(now)), all=True
    )


def _store(rows, now):
    """Write (pk, score, scored_at as read) in one statement, each only if nobody
    rescored the row since it was read: a concurrent change's score is the newer one.
    (SQLite, the embedded mode of ``make run``, has no arrays: a statement per row there.)"""
    if connection.vendor != "postgresql":
        for pk, score, seen in rows:
            Application.objects.filter(pk=pk).filter(
                Q(scored_at=seen) if seen is not None else Q(scored_at__isnull=True)
            ).update(score=score, scored_at=now)
        return
    table = connection.ops.quote_name(Application._meta.db_table)
    with connection.cursor() as cursor:
        # Only the model's own table name is formatted in; the values are parameters.
        cursor.execute(
            f"UPDATE {table} AS a SET score = v.score, scored_at = %s "  # noqa: S608
            "FROM unnest(%s::bigint[], %s::integer[], %s::timestamptz[]) AS v(id, score, seen) "
            "WHERE a.id = v.id AND a.scored_at IS NOT DISTINCT FROM v.seen",
            [now, *(list(column) for column in zip(*rows, strict=True))],
        )


def rescore_open(now=None):
    """Bring the stored score of every open application up to date (the queue sorts on
    it); returns how many scores changed. Through the sweep runner: an application whose
    score cannot be computed or stored is held back and reported, the rest are rescored."""
    now = now or timezone.now()

    def rescore(applications):
        rows = [(app.pk, scoring.score(app, now), app.scored_at) for app in applications]
        _store(rows, now)
        return sum(
            new != app.score for app, (_pk, new, _seen) in zip(applications, rows, strict=True)
        )

    with run("veiligwonen-rescore", now=now) as sweep:
        return sweep.act(stale(now), rescore, model=Application, chunk=BATCH)
