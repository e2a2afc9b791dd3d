"""The one write path for trajecten, voorgesprekken and follow-up agreements. Each call
locks the traject, checks the workflow, writes the change, its timeline entry, the audit
line and any notification in a single transaction."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar import audit
from weerbaar.constants import AuditAction, OrganisationKind
from weerbaar.models import Organisation
from weerbaar.notifications import notify_many

from ..constants import SweepKind, Theme, TrajectStatus
from ..errors import Refused
from ..models import FollowUpAgreement, SweepRecord, Traject, TrajectEvent, Voorgesprek
from ..workflow import check_traject_transition
from .common import griffiers_of, traject_link

__all__ = [
    "add_agreement",
    "complete_agreement",
    "create_trajecten",
    "log_contact",
    "move_traject",
    "plan_voorgesprek",
    "record_voorgesprek",
    "transition_traject",
]


def create_trajecten(tour, *, actor=None):
    """A traject for every active gemeente and provincie that has none in ``tour`` yet. A
    follow-up campaign starts only with the organisations that had a session in the tour it
    follows up."""
    with transaction.atomic():
        have = Traject.objects.filter(tour=tour).values("organisation")
        candidates = Organisation.objects.filter(
            is_active=True, kind__in=[OrganisationKind.GEMEENTE, OrganisationKind.PROVINCIE]
        )
        if tour.follows_id:
            candidates = candidates.filter(
                pk__in=Traject.objects.filter(
                    tour=tour.follows_id, session_held_at__isnull=False
                ).values("organisation")
            )
        created = Traject.objects.bulk_create(
            [Traject(tour=tour, organisation=org) for org in candidates.exclude(pk__in=have)],
            ignore_conflicts=True,
        )
        audit.record(AuditAction.CREATE, actor=actor, obj=tour, trajecten=len(created))
    return len(created)


def _lock(traject):
    return Traject.objects.select_for_update().get(pk=traject.pk)


def move_traject(traject, to, *, actor, note="", reason="", now=None):
    """Move an already locked traject; used inside other write paths."""
    check_traject_transition(traject, to, reason=reason)
    now = now or timezone.now()
    before = traject.status
    traject.status = to
    traject.status_changed_at = now
    if to == TrajectStatus.INVITED:
        traject.invited_at = now
    if to == TrajectStatus.SESSION_HELD and traject.session_held_at is None:
        traject.session_held_at = now
    if to == TrajectStatus.DECLINED:
        traject.declined_reason = reason.strip()[:500]
        note = note or traject.declined_reason
    if to == TrajectStatus.VOORGESPREK_HELD:
        # Waiting for a session again (a cancelled session, a traject picked up again):
        # the nudge of an earlier wait is done with, this wait gets its own.
        SweepRecord.objects.filter(
            object_type=Traject._meta.model_name,
            object_id=traject.pk,
            kind=SweepKind.NO_SESSION_NUDGE,
        ).delete()
    traject.save()
    TrajectEvent.objects.create(
        traject=traject, actor=actor, from_status=before, to_status=to, note=note[:500]
    )
    audit.record(
        AuditAction.TRANSITION,
        actor=actor,
        obj=traject,
        organisation=traject.organisation,
        before=before,
        after=to,
    )
    if to in (
        TrajectStatus.INVITED,
        TrajectStatus.VOORGESPREK_PLANNED,
        TrajectStatus.SESSION_PLANNED,
    ):
        notify_many(
            griffiers_of([traject.organisation_id]),
            kind=f"otwb.traject.{to}",
            subject=_("Nieuws over het traject met het Ondersteuningsteam"),
            body=_("Het traject van uw organisatie is bijgewerkt. Log in om het te bekijken."),
            link=traject_link(traject),
            dedupe_key=f"otwb:traject:{traject.pk}:{to}:{now.timestamp()}",
        )
    return traject


def transition_traject(traject, to, *, actor, reason="", channel="", note=""):
    with transaction.atomic():
        traject = _lock(traject)
        if to == TrajectStatus.INVITED:
            if not channel:
                raise Refused(_("Geef aan of de uitnodiging per brief of per e-mail ging."))
            traject.invitation_channel = channel
        return move_traject(traject, to, actor=actor, reason=reason, note=note)


def log_contact(traject, *, note, actor):
    """A call, mail or letter that does not change the status (a reminder call, a new
    contact person): it goes on the timeline so the next person knows."""
    if not note.strip():
        raise Refused(_("Schrijf kort op wat er is besproken."))
    with transaction.atomic():
        traject = _lock(traject)
        event = TrajectEvent.objects.create(
            traject=traject,
            actor=actor,
            from_status=traject.status,
            to_status=traject.status,
            note=note.strip()[:500],
        )
        audit.record(
            AuditAction.UPDATE,
            actor=actor,
            obj=traject,
            organisation=traject.organisation,
            contact=True,
        )
        return event


def plan_voorgesprek(traject, *, planned_at, actor):
    with transaction.atomic():
        traject = _lock(traject)
        voorgesprek = Voorgesprek.objects.create(traject=traject, planned_at=planned_at)
        if traject.status != TrajectStatus.VOORGESPREK_PLANNED:
            move_traject(traject, TrajectStatus.VOORGESPREK_PLANNED, actor=actor)
        return voorgesprek


def record_voorgesprek(voorgesprek, *, held_at, themes, notes, actor):
    """Record the talk and its needs inventory; the traject moves to "voorgesprek held"."""
    unknown = set(themes) - set(Theme.values)
    if unknown:
        raise Refused(_("Onbekend thema."))
    with transaction.atomic():
        traject = _lock(voorgesprek.traject)
        voorgesprek = Voorgesprek.objects.select_for_update().get(pk=voorgesprek.pk)
        voorgesprek.held_at = held_at
        voorgesprek.themes = sorted(themes)
        voorgesprek.notes = notes
        voorgesprek.save()
        if traject.voorgesprek_held_at is None:
            traject.voorgesprek_held_at = held_at
        if traject.status == TrajectStatus.VOORGESPREK_PLANNED:
            move_traject(traject, TrajectStatus.VOORGESPREK_HELD, actor=actor)
        else:
            traject.save(update_fields=["voorgesprek_held_at"])
            audit.record(
                AuditAction.UPDATE, actor=actor, obj=voorgesprek, organisation=traject.organisation
            )
        return voorgesprek


def add_agreement(traject, *, description, owner, due_on, actor):
    with transaction.atomic():
        traject = _lock(traject)
        if traject.status not in (TrajectStatus.SESSION_HELD, TrajectStatus.FOLLOW_UP):
            raise Refused(_("Vervolgafspraken volgen op een gehouden sessie."))
        agreement = FollowUpAgreement.objects.create(
            traject=traject,
            description=description,
            owner=owner,
            due_on=due_on,
            flag_on=due_on + timedelta(days=1),
        )
        audit.record(
            AuditAction.CREATE, actor=actor, obj=agreement, organisation=traject.organisation
        )
        if traject.status == TrajectStatus.SESSION_HELD:
            move_traject(traject, TrajectStatus.FOLLOW_UP, actor=actor)
        return agreement


def complete_agreement(agreement, *, actor):
    with transaction.atomic():
        _lock(agreement.traject)
        agreement = FollowUpAgreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.done_at is None:
            agreement.done_at = timezone.now()
            agreement.flag_on = None
            agreement.save(update_fields=["done_at", "flag_on"])
            audit.record(
                AuditAction.UPDATE,
                actor=actor,
                obj=agreement,
                organisation=agreement.traject.organisation,
                done=True,
            )
        return agreement
