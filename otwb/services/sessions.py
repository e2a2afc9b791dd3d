"""The write path for sessions: create, change status, evaluate. Holding or cancelling a
session moves the trajecten of its organisations along in the same transaction."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from webhooks.events import EventType, emit
from weerbaar import audit
from weerbaar.constants import AuditAction
from weerbaar.notifications import Message, notify_batch

from ..availability import is_available
from ..constants import (
    RegistrationStatus,
    SessionKind,
    SessionStatus,
    SweepKind,
    TrainerKind,
    TrajectStatus,
)
from ..errors import Refused
from ..models import Assignment, Evaluation, Session, SweepRecord, Trainer, Traject
from ..workflow import check_session_transition
from .common import (
    council_members,
    named_by_session,
    participant_users,
    session_ics,
    session_link,
    trainer_users,
    waiting_users,
)
from .trainers import double_booking_message
from .trajecten import move_traject

__all__ = ["create_session", "reschedule_session", "submit_evaluation", "transition_session"]


def _trajecten(session, status):
    return Traject.objects.select_for_update().filter(
        tour=session.tour_id,
        organisation__in=session.organisations.values("pk"),
        status=status,
    )


def create_session(
    *,
    tour,
    kind,
    title,
    starts_at,
    ends_at,
    place="",
    online_url="",
    organisations=(),
    actor,
    capacity=None,
    min_vertrouwenspersonen=None,
):
    if ends_at <= starts_at:
        raise Refused(_("Het einde moet na het begin liggen."))
    if not (place or online_url):
        raise Refused(_("Geef een plaats of een online link op."))
    with transaction.atomic():
        session = Session(
            tour=tour,
            kind=kind,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place,
            online_url=online_url,
        )
        if capacity is not None:
            session.capacity = capacity
        if min_vertrouwenspersonen is not None:
            session.min_vertrouwenspersonen = min_vertrouwenspersonen
        session.save()
        session.organisations.set(organisations)
        audit.record(AuditAction.CREATE, actor=actor, obj=session, kind=kind)
        emit(EventType.OTWB_SESSION_CHANGED, session)
        if kind != SessionKind.DRIEHOEK:
            for traject in _trajecten(session, TrajectStatus.VOORGESPREK_HELD):
                move_traject(traject, TrajectStatus.SESSION_PLANNED, actor=actor, note=title)
        return session


def _vertrouwenspersonen(session):
    return session.assignments.filter(
        active=True, trainer__kind=TrainerKind.VERTROUWENSPERSOON
    ).count()


def transition_session(session, to, *, actor, now=None, reason=""):
    """Move a session to ``to``. Cancelling needs a ``reason`` (kept on the session and
    in the timeline of the trajecten it puts back): it cannot be undone and it releases
    the trainers."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if to == SessionStatus.CANCELLED and not reason:
        raise Refused(_("Geef een reden op voor het annuleren."))
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        check_session_transition(
            session, to, vertrouwenspersonen=_vertrouwenspersonen(session), now=now
        )
        before = session.status
        # Who hears of it, before a cancellation releases the trainers.
        trainers = trainer_users(session)
        session.status = to
        if to == SessionStatus.CANCELLED:
            session.cancel_reason = reason
        session.save(update_fields=["status", "cancel_reason"])
        audit.record(AuditAction.TRANSITION, actor=actor, obj=session, before=before, after=to)
        emit(EventType.OTWB_SESSION_CHANGED, session)
        if to == SessionStatus.HELD:
            for traject in _trajecten(session, TrajectStatus.SESSION_PLANNED):
                move_traject(traject, TrajectStatus.SESSION_HELD, actor=actor, now=now)
        elif to == SessionStatus.CANCELLED:
            session.assignments.filter(active=True).update(active=False)
            for traject in _trajecten(session, TrajectStatus.SESSION_PLANNED):
                move_traject(
                    traject,
                    TrajectStatus.VOORGESPREK_HELD,
                    actor=actor,
                    note=(_("Sessie geannuleerd: %(reason)s") % {"reason": reason})[:500],
                )
        if to == SessionStatus.CONFIRMED:
            notify_batch(_confirmed_messages(session, trainers))
        elif to == SessionStatus.CANCELLED:
            notify_batch(
                _cancelled_messages(session, trainers, invited=before == SessionStatus.CONFIRMED)
            )
        return session


def _confirmed_messages(session, trainers):
    """Participants, trainers and the named driehoek members get the confirmation; the
    council members of a raadsbrede or Statenbrede session their invitation. Each with
    the session's .ics."""
    named_users, named_emails = named_by_session([session.pk])[session.pk]
    key = f"otwb:session:{session.pk}:{SessionStatus.CONFIRMED}"
    messages = [
        Message(
            [*participant_users(session), *trainers, *named_users],
            kind=f"otwb.session.{SessionStatus.CONFIRMED}",
            subject=_("Een sessie is bevestigd"),
            body=_(
                "De sessie gaat door. De agenda-uitnodiging (.ics) zit als bijlage bij deze e-mail."
            ),
            link=session_link(session),
            dedupe_key=key,
            emails=named_emails,
            attachment=session_ics(session),
        )
    ]
    if session.kind == SessionKind.COUNCIL:
        messages.append(
            Message(
                council_members(session),
                kind="otwb.session.invitation",
                subject=_("Uitnodiging: sessie van het Ondersteuningsteam Weerbaar Bestuur"),
                body=_(
                    "U bent uitgenodigd voor een sessie van het Ondersteuningsteam Weerbaar "
                    "Bestuur met uw raad of Staten. De agenda-uitnodiging (.ics) met tijd en "
                    "plaats zit als bijlage bij deze e-mail."
                ),
                link=session_link(session),
                dedupe_key=f"otwb:session:{session.pk}:invitation",
                attachment=session_ics(session),
            )
        )
    return messages


def _cancelled_messages(session, trainers, *, invited):
    """Everyone who expected the session hears it is off, with the cancelled .ics (their
    calendar removes the event); a driehoek on the waiting list hears it too, or it would
    keep waiting for a place in a session that will not be held."""
    named = named_by_session([session.pk])[session.pk]
    waiting = named_by_session([session.pk], statuses=[RegistrationStatus.WAITING])[session.pk]
    key = f"otwb:session:{session.pk}:{SessionStatus.CANCELLED}"
    subject = _("Een sessie is geannuleerd")
    recipients = [*participant_users(session), *trainers, *named[0]]
    if session.kind == SessionKind.COUNCIL and invited:
        recipients += council_members(session)
    return [
        Message(
            recipients,
            kind=f"otwb.session.{SessionStatus.CANCELLED}",
            subject=subject,
            body=_("De sessie gaat niet door. Met de bijlage (.ics) verdwijnt die uit uw agenda."),
            link=session_link(session),
            dedupe_key=key,
            emails=named[1],
            attachment=session_ics(session),
        ),
        Message(
            [*waiting_users(session), *waiting[0]],
            kind=f"otwb.session.{SessionStatus.CANCELLED}",
            subject=subject,
            body=_(
                "De sessie waarvoor uw driehoek op de wachtlijst stond, gaat niet door. "
                "De wachtlijst vervalt."
            ),
            link=session_link(session),
            dedupe_key=f"{key}:waiting",
            emails=waiting[1],
        ),
    ]


def reschedule_session(session, *, starts_at, ends_at, actor):
    """Move a session; every assigned trainer must still be free and available then.

    Trainers are locked before the session, in id order, as ``assign_trainer`` does, so the
    two write paths cannot deadlock."""
    if ends_at <= starts_at:
        raise Refused(_("Het einde moet na het begin liggen."))
    with transaction.atomic():
        trainer_ids = list(
            session.assignments.filter(active=True).values_list("trainer", flat=True)
        )
        trainers = list(
            Trainer.objects.select_for_update().filter(pk__in=trainer_ids).order_by("pk")
        )
        session = Session.objects.select_for_update().get(pk=session.pk)
        if not session.is_open:
            raise Refused(_("Een gehouden of geannuleerde sessie kan niet worden verplaatst."))
        day = timezone.localtime(starts_at).date()
        for trainer in trainers:
            clash = Assignment.objects.filter(
                trainer=trainer, active=True, starts_at__lt=ends_at, ends_at__gt=starts_at
            ).exclude(session=session)
            if clash.exists():
                raise Refused(double_booking_message(trainer))
            if not is_available(
                trainer.weekly.all(), trainer.exceptions.filter(date=day), starts_at, ends_at
            ):
                raise Refused(
                    _("%(name)s is op dat moment niet beschikbaar.") % {"name": trainer.name}
                )
        before = (session.starts_at, session.ends_at)
        if before[0] != starts_at:
            # The reminders were for the old moment: remind again before the new one (the
            # save then works out the first reminder of the new moment).
            SweepRecord.objects.filter(
                object_type=Session._meta.model_name,
                object_id=session.pk,
                kind__in=(SweepKind.REMINDER_7D, SweepKind.REMINDER_1D),
            ).delete()
        session.starts_at, session.ends_at = starts_at, ends_at
        session.save(update_fields=["starts_at", "ends_at"])
        emit(EventType.OTWB_SESSION_CHANGED, session)
        try:
            with transaction.atomic():
                session.assignments.filter(active=True).update(starts_at=starts_at, ends_at=ends_at)
        except IntegrityError:
            raise Refused(_("Een van de trainers is op dat moment al ingezet.")) from None
        audit.record(
            AuditAction.UPDATE,
            actor=actor,
            obj=session,
            before=[t.isoformat() for t in before],
            after=[starts_at.isoformat(), ends_at.isoformat()],
        )
        named_users, named_emails = named_by_session([session.pk])[session.pk]
        invited = (
            council_members(session)
            if session.kind == SessionKind.COUNCIL and session.status == SessionStatus.CONFIRMED
            else []
        )
        notify_batch(
            [
                Message(
                    [*participant_users(session), *trainer_users(session), *named_users, *invited],
                    kind="otwb.session.moved",
                    subject=_("Een sessie is verplaatst"),
                    body=_(
                        "De bijgewerkte agenda-uitnodiging (.ics) zit als bijlage bij deze e-mail."
                    ),
                    link=session_link(session),
                    dedupe_key=f"otwb:session:{session.pk}:moved:{starts_at.isoformat()}",
                    emails=named_emails,
                    attachment=session_ics(session),
                )
            ]
        )
        return session


def submit_evaluation(session, *, respondent, overall, usefulness, trainers, comment=""):
    if session.status != SessionStatus.HELD:
        raise Refused(_("U kunt een sessie evalueren nadat die is gehouden."))
    if respondent not in participant_users(session):
        raise Refused(_("Alleen deelnemers aan de sessie kunnen die evalueren."))
    with transaction.atomic():
        evaluation, created = Evaluation.objects.update_or_create(
            session=session,
            respondent=respondent,
            defaults={
                "overall": overall,
                "usefulness": usefulness,
                "trainers": trainers,
                "comment": comment,
            },
        )
        audit.record(
            AuditAction.CREATE if created else AuditAction.UPDATE, actor=respondent, obj=evaluation
        )
        return evaluation
