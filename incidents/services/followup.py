"""Aftercare, follow-up toward the perpetrator, aangifte and sharing with a named person."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from webhooks.events import EventType, emit
from weerbaar.constants import AuditAction
from weerbaar.models import User
from weerbaar.notifications import notify
from weerbaar.profiles import police_contacts
from weerbaar.workdays import add_working_days

from .. import notice_texts
from ..constants import AANGIFTE_CONFIRM_WORKING_DAYS, AangifteStatus, TimelineKind
from ..models import Aangifte, AftercareAction, PerpetratorAction
from ..timeline_texts import line
from .common import lock, log, require_triager

__all__ = [
    "add_aftercare",
    "add_perpetrator_action",
    "revoke",
    "save_aangifte",
    "share",
    "share_by_email",
]

AANGIFTE_FIELDS = (
    "advised",
    "filer",
    "filed_on",
    "police_unit",
    "registration_number",
    "vpt_mentioned",
    "status",
    "police_confirmed_on",
)


def aangifte_confirm_days():
    return getattr(settings, "INCIDENTS_AANGIFTE_CONFIRM_DAYS", AANGIFTE_CONFIRM_WORKING_DAYS)


def _police_from_profile(aangifte, organisation):
    """Fill in whom the aangifte goes to from the organisation's profile, where empty."""
    contacts = police_contacts(organisation)
    aangifte.police_unit = aangifte.police_unit or contacts.unit
    aangifte.police_contact = aangifte.police_contact or contacts.police
    aangifte.ela_contact = aangifte.ela_contact or contacts.ela


@transaction.atomic
def add_aftercare(melding, *, actor, kind, date, note="", request=None):
    melding = lock(melding)
    require_triager(actor, melding)
    row = AftercareAction.objects.create(
        melding=melding, kind=kind, date=date, note=note, recorded_by=actor
    )
    log(
        melding,
        actor=actor,
        kind=TimelineKind.AFTERCARE,
        request=request,
        summary=line("aftercare", k=row.kind),
        aftercare=row.pk,
    )
    return row


@transaction.atomic
def add_perpetrator_action(melding, *, actor, kind, date, result="", request=None):
    melding = lock(melding)
    require_triager(actor, melding)
    row = PerpetratorAction.objects.create(
        melding=melding, kind=kind, date=date, result=result, recorded_by=actor
    )
    log(
        melding,
        actor=actor,
        kind=TimelineKind.PERPETRATOR,
        internal=True,
        request=request,
        summary=line("perpetrator", k=row.kind),
        action_id=row.pk,
    )
    return row


@transaction.atomic
def save_aangifte(melding, *, actor, data, request=None):
    """Create or update the aangifte record; a status change restarts its reminder clock."""
    melding = lock(melding)
    require_triager(actor, melding)
    now = timezone.now()
    aangifte = Aangifte.objects.filter(melding=melding).first() or Aangifte(
        melding=melding, status_changed_at=now
    )
    old_status = aangifte.status if aangifte.pk else None
    for name in AANGIFTE_FIELDS:
        if name in data:
            setattr(aangifte, name, data[name])
    if aangifte.status != old_status:
        aangifte.status_changed_at = now
        emit(EventType.AANGIFTE_STATUS_CHANGED, melding)
        if aangifte.status == AangifteStatus.FILED:
            aangifte.confirm_due_at = add_working_days(now, aangifte_confirm_days())
    _police_from_profile(aangifte, melding.organisation)
    aangifte.save()
    log(
        melding,
        actor=actor,
        kind=TimelineKind.AANGIFTE,
        request=request,
        summary=line("aangifte.status", s=aangifte.status),
        status=aangifte.status,
    )
    return aangifte


@transaction.atomic
def share(melding, person, *, actor, request=None):
    """Give one named person view access to this melding (audited, revocable)."""
    melding = lock(melding)
    require_triager(actor, melding)
    assign_perm("view_melding", person, melding)
    log(
        melding,
        actor=actor,
        kind=TimelineKind.SHARED,
        internal=True,
        request=request,
        action=AuditAction.GRANT,
        summary=line("shared.granted", n=str(person)),
        grantee=person.pk,
    )
    notice = notice_texts.shared(melding, actor=actor)
    notify(
        person,
        kind="incidents.shared",
        subject=notice.subject,
        body=notice.body,
        link=notice.link(melding),
    )


@transaction.atomic
def share_by_email(melding, *, email, actor, request=None):
    """Share with whoever holds an active account for ``email``, if anyone does.

    The triager is told the same whatever the address (the view's message), and both
    outcomes take the same path up to the grant: the case is locked and the actor's right to
    triage it checked before the address is looked up, so a triager cannot use the form to
    learn who has an account, and someone who may not triage learns nothing at all."""
    melding = lock(melding)
    require_triager(actor, melding)
    person = User.objects.filter(email__iexact=email, is_active=True).first()
    if person is not None:
        share(melding, person, actor=actor, request=request)
    return person


@transaction.atomic
def revoke(melding, person, *, actor, request=None):
    melding = lock(melding)
    require_triager(actor, melding)
    remove_perm("view_melding", person, melding)
    log(
        melding,
        actor=actor,
        kind=TimelineKind.SHARED,
        internal=True,
        request=request,
        action=AuditAction.REVOKE,
        summary=line("shared.revoked", n=str(person)),
        grantee=person.pk,
    )
