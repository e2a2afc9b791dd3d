"""Which backups to keep: the newest backup of each of the ``daily`` most recent days that
have one, and the newest of each of the ``weekly`` most recent ISO weeks that have one (the
newest backup is always kept). The rest is deleted. Days and weeks are counted over the
backups present, not the calendar: a week without backups (a broken job) does not push older
backups out sooner. Only files named as the backup command names them are considered."""

import re
from datetime import UTC, datetime
from pathlib import Path

import structlog

from .create import PREFIX, SUFFIX

__all__ = ["apply_retention", "to_delete"]

log = structlog.get_logger(__name__)

_NAME = re.compile(rf"^{re.escape(PREFIX)}(\d{{8}}T\d{{6}}Z){re.escape(SUFFIX)}$")


def _moment(name):
    match = _NAME.match(name)
    if match is None:
        return None
    return datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def to_delete(names, *, daily, weekly):
    """The names among ``names`` that the rule does not keep."""
    dated = sorted(((m, n) for n in names if (m := _moment(n))), reverse=True)
    keep, days, weeks = set(), set(), set()
    for moment, name in dated:
        day, week = moment.date(), moment.isocalendar()[:2]
        if day not in days and len(days) < daily:
            days.add(day)
            keep.add(name)
        if week not in weeks and len(weeks) < weekly:
            weeks.add(week)
            keep.add(name)
    if dated:
        keep.add(dated[0][1])
    return sorted(name for _moment_, name in dated if name not in keep)


def apply_retention(directory, *, daily, weekly):
    """Delete what the rule does not keep in ``directory``; returns the deleted names."""
    directory = Path(directory)
    names = [p.name for p in directory.iterdir() if p.is_file()]
    gone = to_delete(names, daily=daily, weekly=weekly)
    for name in gone:
        (directory / name).unlink()
    log.info(
        "backup.retention",
        kept=len([n for n in names if _moment(n)]) - len(gone),
        deleted=len(gone),
    )
    return gone
