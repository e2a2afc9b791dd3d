"""What triagers do to a melding. Every function locks the row, checks that the actor
triages it, writes the change, its timeline line and audit line, and queues notifications,
all in one transaction."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from webhooks.events import emit, melding_status_event
from weerbaar.constants import AuditAction
from weerbaar.notifications import notify, notify_many

from .. import notice_texts, workflow
from ..constants import OPEN_STATUSES, Severity, Status, Step, TimelineKind
from ..deadlines import ack_deadline
from ..models import InternalNote, Message, StepCheck
from ..push import acute_push
from ..timeline_texts import line
from .common import NotAllowed, is_reporter, is_triager, lock, log, require_triager

__all__ = ["assign", "check_step", "close", "note", "post_message", "set_severity", "transition"]


def _tell_reporter(melding, notice, kind="incidents.status"):
    notify(
        melding.reporter,
        kind=kind,
        subject=notice.subject,
        body=notice.body,
        link=notice.link(melding),
    )


@transaction.atomic
def transition(melding, target, *, actor, request=None):
    """A triager's move in the workflow (acknowledge, follow up, close, reopen)."""
    melding = lock(melding)
    require_triager(actor, melding)
    workflow.check(melding.status, target, workflow.TRIAGER)
    text = line("melding.status", old=melding.status, new=target)
    now = timezone.now()
    old = melding.status
    if melding.status == Status.SUBMITTED:
        melding.acknowledged_at = now
        if not melding.assigned_to_id:
            melding.assigned_to = actor
        StepCheck.objects.get_or_create(
            melding=melding, step=Step.ACKNOWLEDGE, defaults={"done_by": actor, "done_at": now}
        )
    melding.next_escalation_at = None
    melding.status = target
    melding.closed_at = now if target == Status.CLOSED else None
    melding.save()
    log(
        melding,
        actor=actor,
        kind=TimelineKind.STATUS,
        summary=text,
        at=now,
        action=AuditAction.TRANSITION,
        request=request,
        to=target,
    )
    _tell_reporter(melding, notice_texts.status_changed(melding, old, target, actor=actor))
    emit(melding_status_event(old, target), melding)
    return melding


@transaction.atomic
def close(melding, reason, *, actor, request=None):
    """Close the case with the triager's reason, kept as an internal note (encrypted like
    every note) beside the timeline's "Afgesloten", in the same transaction."""
    melding = transition(melding, Status.CLOSED, actor=actor, request=request)
    note(
        melding,
        _("Reden van afsluiten: %(reason)s") % {"reason": reason},
        actor=actor,
        request=request,
    )
    return melding


@transaction.atomic
def set_severity(melding, severity, *, actor, request=None):
    """The triager decides; an unacknowledged melding gets the deadline of the new level."""
    melding = lock(melding)
    require_triager(actor, melding)
    was_acute = melding.effective_severity == Severity.ACUTE
    melding.severity = Severity(severity)
    if melding.status == Status.SUBMITTED and melding.escalation_level == 0:
        melding.ack_deadline = ack_deadline(melding.severity, melding.submitted_at)
        melding.next_escalation_at = melding.ack_deadline
    melding.save(update_fields=["severity", "ack_deadline", "next_escalation_at"])
    log(
        melding,
        actor=actor,
        kind=TimelineKind.SEVERITY,
        internal=True,
        request=request,
        summary=line("melding.severity", s=melding.severity),
    )
    if not was_acute and melding.severity == Severity.ACUTE and melding.status in OPEN_STATUSES:
        _tell_triagers_acute(melding, actor)
    return melding


def _tell_triagers_acute(melding, actor):
    """A melding that becomes acute reaches the other triagers at once, by push too (the
    one who raised it knows)."""
    from .. import routing

    notice = notice_texts.now_acute(melding, actor=actor)
    notify_many(
        [p for p in routing.triagers(melding) if p.pk != actor.pk],
        kind="incidents.acute",
        subject=notice.subject,
        body=notice.body,
        link=notice.link(melding),
        dedupe_key=f"incidents:{melding.pk}:acute",
        push=acute_push(melding),
    )


@transaction.atomic
def assign(melding, assignee, *, actor, request=None):
    """Assign to someone who triages this melding (or to nobody)."""
    melding = lock(melding)
    require_triager(actor, melding)
    if assignee is not None and not is_triager(assignee, melding):
        raise NotAllowed
    melding.assigned_to = assignee
    melding.save(update_fields=["assigned_to"])
    log(
        melding,
        actor=actor,
        kind=TimelineKind.ASSIGNED,
        internal=True,
        request=request,
        summary=line("melding.assigned", n=str(assignee))
        if assignee
        else line("melding.unassigned"),
        assignee=assignee.pk if assignee else None,
    )
    if assignee is not None and assignee.pk != actor.pk:
        notice = notice_texts.assigned(melding, actor=actor)
        notify(
            assignee,
            kind="incidents.assigned",
            subject=notice.subject,
            body=notice.body,
            link=notice.link(melding),
        )
    return melding


@transaction.atomic
def note(melding, body, *, actor, request=None):
    melding = lock(melding)
    require_triager(actor, melding)
    row = InternalNote.objects.create(melding=melding, author=actor, body=body)
    log(
        melding,
        actor=actor,
        kind=TimelineKind.NOTE,
        internal=True,
        request=request,
        summary=line("melding.note"),
        note=row.pk,
    )
    return row


@transaction.atomic
def post_message(melding, body, *, actor, request=None):
    """A message between reporter and triagers; the other side is notified (no content)."""
    melding = lock(melding)
    reporter_side = is_reporter(actor, melding)
    if not reporter_side:
        require_triager(actor, melding)
    if melding.status in (Status.DRAFT, Status.WITHDRAWN):
        raise NotAllowed
    row = Message.objects.create(melding=melding, author=actor, body=body)
    log(
        melding,
        actor=actor,
        kind=TimelineKind.MESSAGE,
        request=request,
        summary=line("message.reporter" if reporter_side else "message.handler"),
        message=row.pk,
    )
    if reporter_side:
        from .. import routing

        people = [melding.assigned_to] if melding.assigned_to_id else routing.triagers(melding)
        notice = notice_texts.message_to_handlers()
        notify_many(
            people,
            kind=notice_texts.MESSAGE_KIND,
            subject=notice.subject,
            body=notice.body,
            link=notice.link(melding),
        )
    else:
        _tell_reporter(
            melding,
            notice_texts.message_to_reporter(melding, actor=actor),
            kind=notice_texts.MESSAGE_KIND,
        )
    return row


@transaction.atomic
def check_step(melding, step, *, actor, done=True, request=None):
    """Tick a step of the stappenplan off (or undo it); who and when are kept."""
    melding = lock(melding)
    require_triager(actor, melding)
    step = Step(step)
    if done:
        _row, created = StepCheck.objects.get_or_create(
            melding=melding, step=step, defaults={"done_by": actor, "done_at": timezone.now()}
        )
        summary = line("step.done", s=step.value)
    else:
        created = StepCheck.objects.filter(melding=melding, step=step).delete()[0] > 0
        summary = line("step.reopened", s=step.value)
    if created:
        log(
            melding,
            actor=actor,
            kind=TimelineKind.STEP,
            internal=True,
            request=request,
            summary=summary,
            step=step.value,
        )
    return melding
