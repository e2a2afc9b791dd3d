"""The write path for sessions: create, change status, evaluate. Holding or cancelling a
session moves the trajecten of its organisations along in the same transaction."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar import audit
from weerbaar.constants import AuditAction
from weerbaar.notifications import notify_many

from ..availability import is_available
from ..constants import SessionKind, SessionStatus, SweepKind, TrainerKind, TrajectStatus
from ..errors import Refused
from ..models import Assignment, Evaluation, Session, SweepRecord, Trainer, Traject
from ..workflow import check_session_transition
from .common import participant_users, session_link, trainer_users, waiting_users
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
        if kind != SessionKind.DRIEHOEK:
            for traject in _trajecten(session, TrajectStatus.VOORGESPREK_HELD):
                move_traject(traject, TrajectStatus.SESSION_PLANNED, actor=actor, note=title)
        return session


def _vertrouwenspersonen(session):
    return session.assignments.filter(
        active=True, trainer__kind=TrainerKind.VERTROUWENSPERSOON
    ).count()


def transition_session(session, to, *, actor, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        check_session_transition(
            session, to, vertrouwenspersonen=_vertrouwenspersonen(session), now=now
        )
        before = session.status
        session.status = to
        session.save(update_fields=["status"])
        audit.record(AuditAction.TRANSITION, actor=actor, obj=session, before=before, after=to)
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
                    note=_("Sessie geannuleerd"),
                )
        if to in (SessionStatus.CONFIRMED, SessionStatus.CANCELLED):
            # A cancellation also reaches the waiting list: they would otherwise keep
            # waiting for a place in a session that will not be held.
            recipients = participant_users(session) + (
                trainer_users(session) if to == SessionStatus.CONFIRMED else waiting_users(session)
            )
            subject = (
                _("Een sessie is bevestigd")
                if to == SessionStatus.CONFIRMED
                else _("Een sessie is geannuleerd")
            )
            notify_many(
                recipients,
                kind=f"otwb.session.{to}",
                subject=subject,
                body=_(
                    "Log in voor de details. Bij een bevestigde sessie vindt u daar ook "
                    "de agenda-uitnodiging (.ics)."
                ),
                link=session_link(session),
                dedupe_key=f"otwb:session:{session.pk}:{to}",
            )
        return session


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
        session.starts_at, session.ends_at = starts_at, ends_at
        session.save(update_fields=["starts_at", "ends_at"])
        if before[0] != starts_at:
            # The reminders were for the old moment: remind again before the new one.
            SweepRecord.objects.filter(
                object_type=Session._meta.model_name,
                object_id=session.pk,
                kind__in=(SweepKind.REMINDER_7D, SweepKind.REMINDER_1D),
            ).delete()
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
        notify_many(
            participant_users(session) + trainer_users(session),
            kind="otwb.session.moved",
            subject=_("Een sessie is verplaatst"),
            body=_("Log in voor de nieuwe tijd en een bijgewerkte agenda-uitnodiging (.ics)."),
            link=session_link(session),
            dedupe_key=f"otwb:session:{session.pk}:moved:{starts_at.isoformat()}",
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
