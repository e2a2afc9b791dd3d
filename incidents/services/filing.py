"""Filing: drafts, sending, withdrawing. The reporter's office is snapshotted from the
membership they file in; filing on behalf keeps both people."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from webhooks.events import EventType, emit
from weerbaar.constants import AuditAction, Position, Role
from weerbaar.notifications import notify_many

from .. import notice_texts, protocol, routing, workflow
from ..constants import JobKind, Status, TimelineKind
from ..deadlines import ack_deadline
from ..models import Attachment, JobRecord, Melding, MeldingCategory
from ..push import acute_push
from ..timeline_texts import line
from . import routing_gaps
from .common import NotAllowed, is_reporter, lock, log
from .local_steps import copy_local_steps

__all__ = ["FIELDS", "add_attachment", "can_file_on_behalf", "save_draft", "submit", "withdraw"]

FIELDS = (
    "about",
    "occurred_at",
    "place",
    "channel",
    "description",
    "perpetrator",
    "perpetrator_details",
    "family_involved",
    "witnesses",
    "help_wanted",
    "confidential",
)
REQUIRED = ("occurred_at", "place", "channel", "description")


def can_file_on_behalf(filer, reporter_membership):
    """A griffier or burgemeester may file for a raads- or Statenlid of their organisation
    (for them, or for a family member of theirs: ``Melding.about``). Not for a wethouder or
    gedeputeerde: the griffier serves the council that holds the college to account, and
    the executive's route goes to secretaris and voorzitter; they (and their family) report
    through their own account."""
    if reporter_membership.position not in (Position.RAADSLID, Position.STATENLID):
        return False
    return any(
        m.organisation_id == reporter_membership.organisation_id
        and (m.role == Role.GRIFFIER or m.position == Position.BURGEMEESTER)
        for m in filer.active_memberships
    )


def _apply(melding, data, membership):
    for name in FIELDS:
        if name in data:
            setattr(melding, name, data[name])
    melding.reporter_role = membership.role
    melding.reporter_position = membership.position
    melding.organisation = membership.organisation
    decided = routing.decide(membership, confidential=melding.confidential)
    melding.route = decided.route
    melding.route_organisation = decided.organisation
    melding.otwb_involved = decided.otwb_involved


@transaction.atomic
def save_draft(
    *, filed_by, membership, data, categories, melding=None, submission_key=None, request=None
):
    """Create or update a draft. ``membership`` is the reporter's (the filer's own, or that
    of the raadslid filed for). A new draft keeps ``submission_key``, the key of the form it
    came from: a second draft from the same form is refused by the database."""
    if membership.user_id != filed_by.pk and not can_file_on_behalf(filed_by, membership):
        raise NotAllowed
    if melding is None:
        melding = Melding(
            reporter=membership.user, filed_by=filed_by, submission_key=submission_key
        )
        created = True
    else:
        melding = lock(melding)
        if melding.status != Status.DRAFT or not is_reporter(filed_by, melding):
            raise NotAllowed
        created = False
    _apply(melding, data, membership)
    melding.category_codes = Melding.codes_of(categories)
    melding.save()
    MeldingCategory.objects.filter(melding=melding).exclude(category__in=categories).delete()
    for category in categories:
        MeldingCategory.objects.get_or_create(melding=melding, category=category)
    if created:
        log(
            melding,
            actor=filed_by,
            kind=TimelineKind.STATUS,
            summary=line("melding.draft_saved"),
            action=AuditAction.CREATE,
            request=request,
            on_behalf=membership.user_id != filed_by.pk,
        )
    return melding


def _restart_jobs(melding):
    """A melding sent again starts its sweeps' work from the beginning: the escalation from
    level 0 (withdrawn at its last level it would otherwise ask for a level past the last),
    and the aftercare checks from the next acknowledgement.

    The sweeps' record of acting (``JobRecord``, unique per melding, kind and level) of
    those two kinds is cleared rather than scoped by a sending number: the claims only
    exist to make each step happen once, the timeline and the audit log keep what was done
    in the first sending, and no table or constraint changes. It stays exactly once per
    sending because the sweeps claim and act under the melding's row lock, which this
    transaction holds too: a sweep either acted before the withdrawal (and that claim is
    the one cleared here) or sees the new sending. The notifications' dedupe keys carry the
    moment of sending (``sweeps._cycle``), so the second sending's messages are not taken
    for the first's. Idle and aangifte reminders are per quiet spell and per status
    change already (their claims are compared with the time of the last change)."""
    melding.escalation_level = 0
    JobRecord.objects.filter(
        melding=melding, kind__in=(JobKind.ESCALATION, JobKind.AFTERCARE)
    ).delete()


@transaction.atomic
def submit(melding, *, actor, request=None, now=None):
    """Send a draft (or a withdrawn melding again) to its recipients."""
    melding = lock(melding)
    resend = melding.status == Status.WITHDRAWN
    if not is_reporter(actor, melding):
        raise NotAllowed
    workflow.check(melding.status, Status.SUBMITTED, workflow.REPORTER)
    text = line("melding.status", old=melding.status, new=Status.SUBMITTED)
    missing = [f for f in REQUIRED if not getattr(melding, f)]
    if missing or not melding.category_rows.exists():
        raise ValidationError(_("Vul eerst alle verplichte vragen in."))
    now = now or timezone.now()
    if resend:
        _restart_jobs(melding)
    else:
        copy_local_steps(melding, now=now)
    melding.status = Status.SUBMITTED
    melding.submitted_at = now
    melding.acknowledged_at = None
    melding.severity_proposal = Melding.propose_severity(melding.categories)
    melding.ack_deadline = ack_deadline(melding.effective_severity, now)
    melding.next_escalation_at = melding.ack_deadline
    # The local protocol in force now goes with the melding: its recipients and escalation
    # stay what the reporter was shown, whatever the organisation changes later.
    melding.protocol = protocol.for_melding(melding)
    melding.save()
    log(
        melding,
        actor=actor,
        kind=TimelineKind.STATUS,
        summary=text,
        at=now,
        action=AuditAction.TRANSITION,
        request=request,
        to=Status.SUBMITTED,
    )
    people = _reach(melding, now=now)
    emit(EventType.MELDING_SUBMITTED, melding)
    notice = notice_texts.new_melding(resent=resend)
    notify_many(
        [p for p in people if p.pk != actor.pk],
        kind="incidents.new",
        subject=notice.subject,
        body=notice.body,
        link=notice.link(melding),
        push=acute_push(melding),
    )
    return melding


def _reach(melding, *, now=None):
    """The people a sent melding reaches, as ``routing`` resolves them for the page the
    reporter saw; a fallback is recorded on the melding and its timeline, and alerted."""
    recipients = routing.Recipients()
    resolution = recipients.resolve(routing.Target.receivers(melding))
    if resolution.fallback:
        routing_gaps.record([resolution], now=now)
        melding.routing_fallback = resolution.fallback
        melding.otwb_involved = melding.otwb_involved or resolution.fallback == routing.OTWB
    return resolution.people


@transaction.atomic
def withdraw(melding, *, actor, request=None):
    melding = lock(melding)
    if not is_reporter(actor, melding):
        raise NotAllowed
    workflow.check(melding.status, Status.WITHDRAWN, workflow.REPORTER)
    text = line("melding.status", old=melding.status, new=Status.WITHDRAWN)
    melding.status = Status.WITHDRAWN
    melding.next_escalation_at = None
    melding.save(update_fields=["status", "next_escalation_at"])
    log(
        melding,
        actor=actor,
        kind=TimelineKind.STATUS,
        summary=text,
        action=AuditAction.TRANSITION,
        request=request,
        to=Status.WITHDRAWN,
    )
    if melding.acknowledged_at and melding.assigned_to_id:
        notice = notice_texts.withdrawn()
        notify_many(
            [melding.assigned_to],
            kind="incidents.status",
            subject=notice.subject,
            body=notice.body,
            link=notice.link(melding),
        )
    return melding


@transaction.atomic
def add_attachment(melding, *, actor, filename, content_type, data, request=None):
    """Attach an already checked file (see ``incidents.attachments.clean_upload``)."""
    from .common import is_triager

    melding = lock(melding)
    if not (is_reporter(actor, melding) or is_triager(actor, melding)):
        raise NotAllowed
    row = Attachment.objects.create(
        melding=melding,
        uploaded_by=actor,
        filename=filename,
        content_type=content_type,
        size=len(data),
        data=data,
    )
    log(
        melding,
        actor=actor,
        kind=TimelineKind.ATTACHMENT,
        request=request,
        summary=line("melding.attachment"),
        attachment=row.pk,
    )
    return row
