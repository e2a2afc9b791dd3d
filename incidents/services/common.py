"""Pieces every write path shares: the row lock, the timeline line and its audit line."""

from django.utils import timezone

from weerbaar import audit
from weerbaar.access import user_is_active
from weerbaar.constants import AuditAction

from .. import reminders
from ..models import Melding, TimelineEntry
from ..timeline_texts import Line

__all__ = ["NotAllowed", "entry_text", "is_reporter", "is_triager", "lock", "log"]


class NotAllowed(Exception):
    """The actor may not do this to this melding (views answer 404)."""


def lock(melding):
    return Melding.objects.select_for_update().get(pk=melding.pk)


def is_reporter(user, melding):
    return user.pk in (melding.reporter_id, melding.filed_by_id)


def is_triager(user, melding):
    if not user_is_active(user):
        return False
    return Melding.objects.triageable_by(user).filter(pk=melding.pk).exists()


def require_triager(user, melding):
    if not is_triager(user, melding):
        raise NotAllowed


def entry_text(summary):
    """The fields of a timeline entry that hold its text."""
    if isinstance(summary, Line):
        return {"code": summary.code, "params": summary.params, "summary": ""}
    return {"summary": str(summary)[:300]}


def log(
    melding,
    *,
    actor,
    kind,
    summary,
    internal=False,
    action=AuditAction.UPDATE,
    request=None,
    at=None,
    touch=True,
    **detail,
):
    """Write the timeline line and the audit line of a change (inside its transaction).
    ``summary`` is a ``timeline_texts.line`` (worded when shown) or, for a text no code
    covers, the worded text itself. ``touch=False`` for the sweeps' own lines, which are
    not activity on the case.

    Touching the case writes its last activity and, in the same statement, when each
    reminder sweep next has something to do for it (``incidents.reminders``): every write
    path that changes what a reminder depends on (status, acknowledgement, aangifte,
    activity) locks the melding, makes the change and then logs it here."""
    at = at or timezone.now()
    TimelineEntry.objects.create(
        melding=melding, at=at, actor=actor, kind=kind, internal=internal, **entry_text(summary)
    )
    audit.record(
        action,
        actor=actor,
        obj=melding,
        request=request,
        organisation=melding.route_organisation,
        kind=kind,
        **detail,
    )
    if touch:
        Melding.objects.filter(pk=melding.pk).update(
            last_activity_at=at, **reminders.columns(activity=at)
        )
        melding.last_activity_at = at
