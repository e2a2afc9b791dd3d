"""The shared core of the write path: lock, check, change, timeline, audit, rescore."""

from django.db.models import Q
from django.utils import timezone

from webhooks.events import EventType, emit
from weerbaar import audit
from weerbaar.constants import AuditAction, Role
from weerbaar.models import Membership, User
from weerbaar.notifications import Message, notify_batch
from weerbaar.workdays import add_working_days

from .. import reminders, scoring, workflow
from ..access import case_roles
from ..constants import CLOSED, TimelineKind
from ..models import Application, SlaSetting, TimelineEntry
from ..timeline_texts import line

__all__ = [
    "apply_transition",
    "bva_users",
    "intake_officers",
    "lock",
    "message",
    "notify_people",
    "save_scored",
    "set_sla",
    "team_leads",
    "timeline",
    "timeline_entry",
]


def lock(application):
    """The application row, locked until the end of the surrounding transaction."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=application.pk)
    )


def timeline_entry(application, *, actor, kind, text, from_status="", to_status=""):
    """One unsaved timeline line (the sweeps write a chunk's lines in one statement).
    ``text`` is a ``timeline_texts.line``: stored as its code and worded when shown."""
    return TimelineEntry(
        application=application,
        actor=actor,
        kind=kind,
        code=text.code,
        params=text.params,
        from_status=from_status,
        to_status=to_status,
    )


def timeline(application, **fields):
    entry = timeline_entry(application, **fields)
    entry.save()
    return entry


def apply_transition(
    application, action, *, actor, request=None, roles=None, target=None, **detail
):
    """Move a locked application along the workflow (status, timeline, audit). The caller
    sets the step's own fields and then calls ``save_scored``. ``target`` is the status for
    an action without a fixed one; ``detail`` goes into the audit line."""
    roles = case_roles(actor, application) if roles is None else roles
    transition = workflow.check(action, application.status, roles)
    target = transition.target if transition.target is not None else target
    if target is None:
        raise ValueError(f"{action} needs a target status")
    previous = application.status
    application.status = target
    now = timezone.now()
    if target in CLOSED:
        application.closed_at = now
    timeline(
        application,
        actor=actor,
        kind=TimelineKind.STATUS,
        text=line("status", a=action),
        from_status=previous,
        to_status=target,
    )
    audit.record(
        AuditAction.TRANSITION,
        actor=actor,
        obj=application,
        request=request,
        organisation=application.organisation,
        step=action,
        from_status=previous,
        to_status=target,
        **detail,
    )
    emit(EventType.VEILIGWONEN_STATUS_CHANGED, application)
    return transition


def set_sla(application, sla_days=None):
    """Intake deadline from the class's working days; the warning goes out a working day
    before (on the submission day itself for a one-day deadline)."""
    days = (sla_days or SlaSetting.objects.working_days())[application.urgency_class]
    application.sla_due_at = add_working_days(application.submitted_at, days)
    application.sla_warn_at = add_working_days(application.submitted_at, max(days - 1, 0))


def save_scored(application, now=None):
    """Save a locked application after a change: its score and, in the same row, when the
    measure-reminder, SLA and hand-off receipt sweeps next have something to do for it
    (``reminders.current``)."""
    if application.status not in CLOSED:
        application.score = scoring.score(application, now)
        application.scored_at = now or timezone.now()
    for column, value in reminders.current(application).items():
        setattr(application, column, value)
    application.save()
    return application


def _users_with_role(role):
    ids = Membership.objects.active().filter(role=role).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True)


def intake_officers():
    return list(_users_with_role(Role.VW_INTAKE))


def bva_users():
    return list(_users_with_role(Role.BVA))


def team_leads():
    return list(_users_with_role(Role.VW_INTAKE).filter(Q(vw_profile__is_team_lead=True)))


def message(application, recipients, *, kind, subject, body, dedupe=None, anchor=""):
    """An outbox message about ``application`` for ``notify_batch``: a link to the case (at
    ``anchor``, the section concerned); subject and body never carry case content.
    ``recipients`` are users or user ids."""
    return Message(
        [r for r in recipients if r is not None],
        kind=f"veiligwonen.{kind}",
        subject=subject,
        body=body,
        link=application.get_absolute_url() + anchor,
        dedupe_key=f"vw:{application.pk}:{kind}:{dedupe}" if dedupe else None,
    )


def notify_people(recipients, application, *, kind, subject, body, dedupe=None, anchor=""):
    """Queue ``message`` now (in the caller's transaction)."""
    return notify_batch(
        [
            message(
                application,
                recipients,
                kind=kind,
                subject=subject,
                body=body,
                dedupe=dedupe,
                anchor=anchor,
            )
        ]
    )
