"""The organisation's own steps: kept by its griffier and secretaris (and the functioneel
beheerder), copied onto each case when it is first sent, and ticked off like the national
steps (timeline and audit in the same transaction)."""

from django.db import transaction
from django.utils import timezone

from weerbaar import audit
from weerbaar.constants import AuditAction, Role
from weerbaar.workdays import add_working_days

from ..constants import TimelineKind
from ..models import CaseStep, LocalStep
from ..timeline_texts import line
from .common import NotAllowed, lock, log, require_triager

__all__ = ["can_keep_protocol", "check_case_step", "copy_local_steps", "save_local_step"]

# Who keeps an organisation's steps and letter templates.
KEEPERS = (Role.GRIFFIER, Role.SECRETARIS)


def can_keep_protocol(user, organisation):
    """The organisation's own griffier or secretaris, or a functioneel beheerder."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.has_role(*KEEPERS, organisation=organisation) or user.has_role(
        Role.FUNCTIONEEL_BEHEERDER
    )


def copy_local_steps(melding, *, now):
    """Give a case sent for the first time its organisation's active steps, each due
    ``due_days`` working days after ``now``. Called inside the sending transaction; a case
    sent again keeps the steps it got (or did not get) the first time."""
    steps = LocalStep.objects.filter(organisation_id=melding.route_organisation_id, active=True)
    CaseStep.objects.bulk_create(
        [
            CaseStep(
                melding=melding,
                local_step=step,
                title=step.title,
                title_en=step.title_en,
                owner_role=step.owner_role,
                due_at=add_working_days(now, step.due_days),
                order=step.order,
            )
            for step in steps
        ]
    )


@transaction.atomic
def check_case_step(melding, case_step_id, *, actor, done=True, request=None):
    """Tick an organisation's step of this case off (or undo it); who and when are kept."""
    melding = lock(melding)
    require_triager(actor, melding)
    step = CaseStep.objects.select_for_update().filter(melding=melding, pk=case_step_id).first()
    if step is None:
        raise NotAllowed
    if done == (step.done_at is not None):
        return melding
    step.done_by, step.done_at = (actor, timezone.now()) if done else (None, None)
    step.save(update_fields=["done_by", "done_at"])
    log(
        melding,
        actor=actor,
        kind=TimelineKind.STEP,
        internal=True,
        request=request,
        summary=line("local_step.done" if done else "local_step.reopened", s=step.title),
        case_step=step.pk,
    )
    return melding


@transaction.atomic
def save_local_step(*, organisation, actor, data, step=None, request=None):
    """Add a step (``step`` None) or change one; deactivating is ``active=False``. Only the
    organisation's keepers; audited with the fields that changed (their names only)."""
    if not can_keep_protocol(actor, organisation):
        raise NotAllowed
    created = step is None
    if created:
        step = LocalStep(organisation=organisation)
    elif step.organisation_id != organisation.pk:
        raise NotAllowed
    changed = [f for f, value in data.items() if getattr(step, f) != value]
    for field, value in data.items():
        setattr(step, field, value)
    step.save()
    audit.record(
        AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=actor,
        obj=step,
        request=request,
        organisation=organisation,
        fields=sorted(changed),
    )
    return step
