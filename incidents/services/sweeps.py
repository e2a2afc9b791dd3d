"""Periodic sweeps: acknowledgement escalation, aftercare / aangifte / idle reminders and
retention. Each sweep selects only what is due through indexed columns, handles every
melding in its own transaction under a row lock, and records that it acted in
``JobRecord`` (unique per melding, kind and level), so two workers or a retry never act
twice and a crashed run is caught up by the next."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.constants import Role
from weerbaar.notifications import notify_many

from .. import routing
from ..constants import (
    OPEN_STATUSES,
    AangifteStatus,
    EscalationLevel,
    JobKind,
    Route,
    Status,
    TimelineKind,
)
from ..deadlines import ack_deadline
from ..models import Aangifte, JobRecord, Melding
from .common import case_link, log

__all__ = ["escalate_due", "remind_aangifte", "remind_aftercare", "remind_idle"]

AFTERCARE_DAYS = (7, 28)
AANGIFTE_DAYS = 14
IDLE_DAYS = 14


def _once(melding, kind, level, now):
    """Claim (melding, kind, level); False when someone already acted."""
    try:
        with transaction.atomic():
            JobRecord.objects.create(melding=melding, kind=kind, level=level, acted_at=now)
    except IntegrityError:
        return False
    return True


def _triagers(melding):
    return routing.recipients(
        melding.route, melding.route_organisation, otwb_involved=melding.otwb_involved
    )


def _escalation_targets(melding, level):
    if level == EscalationLevel.REMINDER:
        return [melding.assigned_to] if melding.assigned_to_id else _triagers(melding)
    if level == EscalationLevel.VOORZITTER:
        return routing.recipients(
            melding.route, melding.route_organisation, roles={Role.VOORZITTER}
        )
    return routing.recipients(Route.CONFIDENTIAL, None)


def _last_level(melding):
    """The confidential route stays with the OTWB; civil servants are not escalated to the
    OTWB (it supports office holders)."""
    if melding.route == Route.CONFIDENTIAL:
        return EscalationLevel.REMINDER
    if not melding.reporter_position:
        return EscalationLevel.VOORZITTER
    return EscalationLevel.OTWB


def _escalate_one(pk, now):
    with transaction.atomic():
        melding = (
            Melding.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, status=Status.SUBMITTED, next_escalation_at__lte=now)
            .first()
        )
        if melding is None:
            return False
        level = EscalationLevel(melding.escalation_level + 1)
        if not _once(melding, JobKind.ESCALATION, level, now):
            return False
        melding.escalation_level = level
        if level == EscalationLevel.OTWB:
            melding.otwb_involved = True
        more = level < _last_level(melding)
        melding.next_escalation_at = ack_deadline(melding.effective_severity, now) if more else None
        melding.save(update_fields=["escalation_level", "otwb_involved", "next_escalation_at"])
        kind = (
            TimelineKind.REMINDER if level == EscalationLevel.REMINDER else TimelineKind.ESCALATION
        )
        log(
            melding,
            actor=None,
            kind=kind,
            summary=level.label,
            at=now,
            touch=False,
            level=int(level),
        )
        notify_many(
            _escalation_targets(melding, level),
            kind=f"incidents.escalation.{int(level)}",
            subject=_("Melding wacht op ontvangstbevestiging"),
            body=_(
                "Een melding is nog niet bevestigd en de termijn is verstreken. Log in om "
                "die te bekijken."
            ),
            link=case_link(melding),
            dedupe_key=f"incidents:{melding.pk}:escalation:{int(level)}",
        )
        return True


def escalate_due(*, now=None):
    """Remind, then escalate to the voorzitter, then to the OTWB; returns actions taken."""
    now = now or timezone.now()
    due = Melding.objects.filter(status=Status.SUBMITTED, next_escalation_at__lte=now)
    return sum(_escalate_one(pk, now) for pk in due.values_list("pk", flat=True))


def _remind(melding, kind, level, now, summary, people):
    with transaction.atomic():
        if not _once(melding, kind, level, now):
            return False
        log(
            melding,
            actor=None,
            kind=TimelineKind.REMINDER,
            summary=summary,
            at=now,
            internal=True,
            touch=False,
            job=kind,
            level=level,
        )
        notify_many(
            people,
            kind=f"incidents.reminder.{kind}",
            subject=_("Herinnering"),
            body=_(
                "Er is een herinnering bij een melding die u behandelt. Log in om die te bekijken."
            ),
            link=case_link(melding),
            dedupe_key=f"incidents:{melding.pk}:{kind}:{level}",
        )
        return True


def _handlers(melding):
    return [melding.assigned_to] if melding.assigned_to_id else _triagers(melding)


def remind_aftercare(*, now=None):
    """Aftercare check at +7 and +28 days after acknowledgement."""
    now = now or timezone.now()
    count = 0
    for days in AFTERCARE_DAYS:
        due = (
            Melding.objects.filter(
                status__in=OPEN_STATUSES[1:], acknowledged_at__lte=now - timedelta(days=days)
            )
            .exclude(
                Exists(
                    JobRecord.objects.filter(
                        melding=OuterRef("pk"), kind=JobKind.AFTERCARE, level=days
                    )
                )
            )
            .select_related("assigned_to")
        )
        for melding in due:
            count += _remind(
                melding,
                JobKind.AFTERCARE,
                days,
                now,
                _("Herinnering: nazorgcontrole na %(d)s dagen") % {"d": days},
                _handlers(melding),
            )
    return count


def remind_aangifte(*, now=None):
    """Ask for the aangifte status 14 days after it last changed (until it is closed)."""
    now = now or timezone.now()
    due = (
        Aangifte.objects.exclude(status=AangifteStatus.CLOSED)
        .filter(
            status_changed_at__lte=now - timedelta(days=AANGIFTE_DAYS),
            melding__status__in=OPEN_STATUSES,
        )
        .select_related("melding", "melding__assigned_to")
    )
    count = 0
    for aangifte in due:
        level = int(aangifte.status_changed_at.timestamp() // 86400)
        count += _remind(
            aangifte.melding,
            JobKind.AANGIFTE,
            level,
            now,
            _("Herinnering: hoe staat het met de aangifte?"),
            _handlers(aangifte.melding),
        )
    return count


def remind_idle(*, now=None):
    """Open cases without activity for two weeks: once per quiet spell."""
    now = now or timezone.now()
    due = Melding.objects.filter(
        status__in=OPEN_STATUSES[1:], last_activity_at__lte=now - timedelta(days=IDLE_DAYS)
    )
    count = 0
    for melding in due.select_related("assigned_to"):
        level = int(melding.last_activity_at.timestamp() // 86400)
        count += _remind(
            melding,
            JobKind.IDLE,
            level,
            now,
            _("Herinnering: er is al twee weken niets gebeurd"),
            _handlers(melding),
        )
    return count
