"""Writing the audit log. Call these inside the transaction of the change they record,
so a change and its audit line are committed together or not at all."""

from .constants import AuditAction
from .models import AuditEvent

__all__ = ["client_ip", "event", "record", "record_many", "record_view"]


def client_ip(request):
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def event(
    action, *, actor=None, obj=None, request=None, organisation=None, organisation_id=None, **detail
):
    """One unsaved line (for ``record_many``). ``detail`` holds identifiers and labels only,
    never content. ``organisation_id`` instead of ``organisation`` where only the key is at
    hand (the sweeps: no organisation fetched per row)."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    return AuditEvent(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        organisation_id=organisation.pk if organisation is not None else organisation_id,
        ip_address=client_ip(request),
        detail=detail,
    )


def record(action, *, actor=None, obj=None, request=None, organisation=None, **detail):
    """Append one line. ``detail`` holds identifiers and labels only, never content."""
    line = event(action, actor=actor, obj=obj, request=request, organisation=organisation, **detail)
    line.save()
    return line


def record_many(lines):
    """Append several lines made with ``event`` in one statement (the sweeps). On PostgreSQL
    the chain trigger links each line inside that statement: still one statement a chunk."""
    return AuditEvent.objects.bulk_create(lines)


def record_view(request, obj, *, organisation=None):
    """Record that the current user looked at a sensitive record (shown to its owner)."""
    return record(AuditAction.VIEW, request=request, obj=obj, organisation=organisation)
