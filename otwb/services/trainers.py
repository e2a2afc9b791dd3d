"""Assigning trainers to sessions without ever booking one person twice.

The trainer row is locked first, so two coordinators assigning the same trainer at the same
moment are serialised: the second sees the first's assignment and is refused. The exclusion
constraint of migration 0002 is the backstop should any other path write an overlap."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar import audit
from weerbaar.constants import AuditAction
from weerbaar.notifications import notify

from ..availability import is_available
from ..errors import Refused
from ..models import Assignment, Session, Trainer
from .common import session_link

__all__ = ["assign_trainer", "double_booking_message", "save_trainer", "unassign_trainer"]


def double_booking_message(trainer):
    return _("%(name)s is op dat moment al ingezet bij een andere sessie.") % {"name": trainer.name}


def assign_trainer(session, trainer, *, actor):
    with transaction.atomic():
        trainer = Trainer.objects.select_for_update().get(pk=trainer.pk)
        session = Session.objects.select_for_update().get(pk=session.pk)
        if not session.is_open:
            raise Refused(_("Aan deze sessie kunnen geen trainers meer worden toegevoegd."))
        if not trainer.is_active:
            raise Refused(_("Deze trainer is niet actief."))
        if Assignment.objects.filter(session=session, trainer=trainer, active=True).exists():
            raise Refused(_("%(name)s is al aan deze sessie toegewezen.") % {"name": trainer.name})
        overlap = Assignment.objects.filter(
            trainer=trainer,
            active=True,
            starts_at__lt=session.ends_at,
            ends_at__gt=session.starts_at,
        )
        if overlap.exists():
            raise Refused(double_booking_message(trainer))
        if not is_available(
            trainer.weekly.all(),
            trainer.exceptions.filter(date=timezone.localtime(session.starts_at).date()),
            session.starts_at,
            session.ends_at,
        ):
            raise Refused(_("%(name)s is op dat moment niet beschikbaar.") % {"name": trainer.name})
        try:
            with transaction.atomic():
                assignment = Assignment.objects.create(
                    session=session,
                    trainer=trainer,
                    starts_at=session.starts_at,
                    ends_at=session.ends_at,
                )
        except IntegrityError:
            raise Refused(double_booking_message(trainer)) from None
        audit.record(AuditAction.CREATE, actor=actor, obj=assignment, trainer=trainer.pk)
        if trainer.user_id:
            notify(
                trainer.user,
                kind="otwb.assignment",
                subject=_("U bent ingedeeld voor een sessie"),
                body=_(
                    "U bent ingedeeld voor een sessie van het Ondersteuningsteam. "
                    "Log in voor de details en de agenda-uitnodiging."
                ),
                link=session_link(session),
                dedupe_key=f"otwb:assignment:{assignment.pk}",
            )
        return assignment


def unassign_trainer(assignment, *, actor):
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.active:
            assignment.active = False
            assignment.save(update_fields=["active"])
            audit.record(AuditAction.UPDATE, actor=actor, obj=assignment, active=False)
        return assignment


def save_trainer(*, form=None, trainer=None, formsets, actor):
    """Save a trainer (``form``, by the coordinator) or only their availability (a trainer
    editing their own, ``trainer``) with the availability formsets in one transaction,
    audited. Changing availability does not touch existing assignments."""
    with transaction.atomic():
        created = form is not None and form.instance.pk is None
        if form is not None:
            trainer = form.save()
        for formset in formsets:
            formset.instance = trainer
            formset.save()
        audit.record(
            AuditAction.CREATE if created else AuditAction.UPDATE, actor=actor, obj=trainer
        )
        return trainer
