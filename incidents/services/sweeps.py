"""Periodic sweeps: acknowledgement escalation, aftercare / aangifte / idle reminders.

Each sweep finds what is due with one query on a partial index of its due column
(``next_escalation_at``, and for the reminders the columns of ``incidents.reminders``), so a
run with nothing due reads an empty range of an index whatever the number of open cases;
a reminder sweep then tests the full condition (what it already acted on excluded in SQL)
on the meldingen found, and acts in chunks: per
chunk one transaction that claims ``JobRecord`` rows (unique per melding, kind and level)
with ``INSERT ... ON CONFLICT DO NOTHING`` and writes the timeline lines, the audit lines
and the notifications of the claimed meldingen with one statement each. Two workers or a
retry never act twice (the claim), and a crash loses nothing: the chunk's transaction
rolls back whole and the next run finds the same meldingen due. The chunks, their
transactions and what happens when one melding makes its chunk fail are the core's sweep
runner (``weerbaar.sweeps``): the others are still acted on, the bad one is recorded,
reported and retried later."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from webhooks.events import EventType, emit_many
from weerbaar import audit
from weerbaar.batching import claim, update_rows
from weerbaar.constants import AuditAction
from weerbaar.notifications import Message, notify_batch
from weerbaar.sweeps import run

from .. import notice_texts
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
from ..models import Aangifte, JobRecord, Melding, TimelineEntry
from ..models.melding import FREE_TEXT
from ..push import escalation_push
from ..reminders import AANGIFTE_DAYS, ACKED_STATUSES, AFTERCARE_DAYS, IDLE_DAYS, refresh
from ..routing import Recipients, Target
from ..timeline_texts import Line, line
from . import routing_gaps
from .common import entry_text

__all__ = [
    "CHUNK",
    "escalate_due",
    "remind_aangifte",
    "remind_aangifte_confirmation",
    "remind_aftercare",
    "remind_idle",
]

# Meldingen per transaction: large enough that a chunk costs a handful of statements,
# small enough that row locks are held briefly.
CHUNK = 200


@dataclass
class _Act:
    """What a sweep does to one claimed melding: a timeline line, an audit line and a
    notification to ``people`` (user ids, or a key for ``Recipients``)."""

    melding: Melding
    kind: str
    summary: Line
    internal: bool
    detail: dict
    people: list | tuple
    message: Message


def _write(acts, now, recipients):
    """Timeline, audit and notifications of the claimed meldingen, a statement each."""
    TimelineEntry.objects.bulk_create(
        TimelineEntry(
            melding=act.melding,
            at=now,
            actor=None,
            kind=act.kind,
            internal=act.internal,
            **entry_text(act.summary),
        )
        for act in acts
    )
    audit.record_many(
        [
            audit.event(
                AuditAction.UPDATE,
                obj=act.melding,
                organisation_id=act.melding.route_organisation_id,
                kind=act.kind,
                **act.detail,
            )
            for act in acts
        ]
    )
    recipients.prime([act.people for act in acts if isinstance(act.people, tuple)])
    for act in acts:
        if isinstance(act.people, tuple):
            act.message.recipients = recipients.get(act.people)
        else:
            act.message.recipients = act.people
    routing_gaps.record(recipients.take_unrecorded(), now=now)
    notify_batch([act.message for act in acts])


def _cycle(melding):
    """The start of a notification's dedupe key: the melding and its sending. A melding
    withdrawn and sent again is escalated and reminded again (``filing.submit``), and those
    messages must not be taken for the first sending's."""
    sent = melding.submitted_at
    return f"incidents:{melding.pk}:s{int(sent.timestamp()) if sent else 0}"


def _handlers(melding):
    """The assigned handler while they hold a triage role in force, else the receivers of
    the route or who stands in for them (a ``routing.Target`` for ``Recipients``)."""
    return Target.handlers(melding)


def _escalation_targets(melding, level):
    """Who an escalation level reaches, through the route's chain (``routing.CHAINS``): an
    empty voorzitter role goes to the next in the chain, never to nobody."""
    if level == EscalationLevel.REMINDER:
        return _handlers(melding)
    if level == EscalationLevel.VOORZITTER:
        return Target.escalation(melding)
    return Target.otwb()


def _last_level(melding):
    """The confidential route stays with the OTWB; civil servants are not escalated to the
    OTWB (it supports office holders)."""
    if melding.route == Route.CONFIDENTIAL:
        return EscalationLevel.REMINDER
    if not melding.reporter_position:
        return EscalationLevel.VOORZITTER
    return EscalationLevel.OTWB


def _escalate_chunk(ids, now, recipients):
    """Escalate the meldingen of ``ids`` still due, inside the runner's transaction."""
    meldingen = list(
        Melding.objects.select_for_update(skip_locked=True)
        .filter(pk__in=ids, status=Status.SUBMITTED, next_escalation_at__lte=now)
        .defer(*FREE_TEXT)
    )
    levels = {m.pk: EscalationLevel(m.escalation_level + 1) for m in meldingen}
    claimed = claim(
        JobRecord, "melding", [(m.pk, JobKind.ESCALATION, levels[m.pk]) for m in meldingen], now
    )
    acted = []
    for melding in meldingen:
        level = levels[melding.pk]
        if (melding.pk, level) not in claimed:
            continue
        melding.escalation_level = level
        if level == EscalationLevel.OTWB:
            melding.otwb_involved = True
        more = level < _last_level(melding)
        melding.next_escalation_at = ack_deadline(melding.effective_severity, now) if more else None
        kind = (
            TimelineKind.REMINDER if level == EscalationLevel.REMINDER else TimelineKind.ESCALATION
        )
        notice = notice_texts.escalated(level)
        message = Message(
            (),
            kind=f"incidents.escalation.{int(level)}",
            subject=notice.subject,
            body=notice.body,
            link=notice.link(melding),
            dedupe_key=f"{_cycle(melding)}:escalation:{int(level)}",
            push=escalation_push(),
        )
        targets = _escalation_targets(melding, level)
        acted.append(
            _Act(
                melding,
                kind,
                line("escalation", l=int(level)),
                False,
                {"level": int(level)},
                targets,
                message,
            )
        )
    update_rows(
        Melding,
        [act.melding for act in acted],
        ["escalation_level", "otwb_involved", "next_escalation_at"],
    )
    emit_many(
        EventType.MELDING_ESCALATED, [a.melding for a in acted if a.kind == TimelineKind.ESCALATION]
    )
    _write(acted, now, recipients)
    return len(acted)


def escalate_due(*, now=None):
    """Remind, then escalate to the voorzitter, then to the OTWB; returns actions taken."""
    now = now or timezone.now()
    due = Melding.objects.filter(status=Status.SUBMITTED, next_escalation_at__lte=now)
    ids = list(due.order_by("next_escalation_at").values_list("pk", flat=True))
    recipients = Recipients()
    with run("incidents-escalate-due", now=now) as sweep:
        return sweep.act(
            ids, lambda chunk: _escalate_chunk(chunk, now, recipients), model=Melding, chunk=CHUNK
        )


def _remind(sweep, due, kind, now, summary, level_of):
    """Claim and write a reminder for every melding in ``due`` (a list), chunk by chunk,
    through ``sweep`` (the runner's run), and move the chunk's reminder columns on.

    The chunk's meldingen are locked first, as every write path locks its melding: a change
    made meanwhile is committed before the columns are worked out (their subqueries would
    not see its aangifte otherwise), and one made after waits for the claims."""
    recipients = Recipients()
    notice = notice_texts.reminder(kind)

    def remind(chunk):
        pks = [m.pk for m in chunk]
        list(Melding.objects.select_for_update().filter(pk__in=pks).order_by("pk").values("pk"))
        claimed = claim(JobRecord, "melding", [(m.pk, kind, level_of(m)) for m in chunk], now)
        acted = []
        for melding in chunk:
            level = level_of(melding)
            if (melding.pk, level) not in claimed:
                continue
            message = Message(
                (),
                kind=f"incidents.reminder.{kind}",
                subject=notice.subject,
                body=notice.body,
                link=notice.link(melding),
                dedupe_key=f"{_cycle(melding)}:{kind}:{level}",
            )
            detail = {"job": kind, "level": level}
            acted.append(
                _Act(
                    melding,
                    TimelineKind.REMINDER,
                    summary,
                    True,
                    detail,
                    _handlers(melding),
                    message,
                )
            )
        _write(acted, now, recipients)
        refresh(Melding.objects.filter(pk__in=pks))
        return len(acted)

    return sweep.act(due, remind, model=Melding, chunk=CHUNK)


def _come(column, now):
    """The ids of the meldingen whose reminder ``column`` has come: the one read of a run
    with nothing due, an empty range of the column's partial index."""
    due = Melding.objects.filter(**{f"{column}__lte": now})
    return list(due.order_by().values_list("pk", flat=True))


def _settle(come, acted_on):
    """Set the columns again of the meldingen of ``come`` that were found not due after all
    (a column earlier than its moment): the next run does not read them again."""
    rest = set(come) - set(acted_on)
    if rest:
        refresh(Melding.objects.filter(pk__in=rest))


_REMIND_FIELDS = (
    "submitted_at",
    "route",
    "route_organisation",
    "otwb_involved",
    "assigned_to",
    "last_activity_at",
    "reporter",
    "routing_fallback",
    "protocol",
)


def remind_aftercare(*, now=None):
    """Aftercare check at +7 and +28 days after acknowledgement."""
    now = now or timezone.now()
    come = _come("aftercare_reminder_at", now)
    count, acted_on = 0, set()
    with run("incidents-remind-aftercare", now=now) as sweep:
        for days in AFTERCARE_DAYS:
            count += _remind_aftercare(sweep, come, days, now, acted_on)
    _settle(come, acted_on)
    return count


def _remind_aftercare(sweep, come, days, now, acted_on):
    due = Melding.objects.filter(
        pk__in=come, status__in=ACKED_STATUSES, acknowledged_at__lte=now - timedelta(days=days)
    ).exclude(
        Exists(JobRecord.objects.filter(melding=OuterRef("pk"), kind=JobKind.AFTERCARE, level=days))
    )
    meldingen = list(due.only(*_REMIND_FIELDS).order_by("pk")) if come else []
    acted_on.update(m.pk for m in meldingen)
    return _remind(
        sweep,
        meldingen,
        JobKind.AFTERCARE,
        now,
        line("reminder.aftercare", d=days),
        lambda melding, days=days: days,
    )


def _epoch_day(moment):
    return int(moment.timestamp() // 86400)


def _remind_of_aangiften(due, *, come, moment, sweep, kind, text, now):
    """Remind the triagers of the meldingen of the aangiften ``due`` (among the meldingen
    ``come``); each reminder's level is the day of the aangifte's ``moment`` field (so a new
    moment starts a new reminder)."""
    moments = {}
    meldingen = []
    for aangifte in (
        (
            due.filter(melding__in=come)
            .select_related("melding")
            .only(moment, *(f"melding__{f}" for f in _REMIND_FIELDS))
            .order_by("pk")
        )
        if come
        else ()
    ):
        moments[aangifte.melding.pk] = getattr(aangifte, moment)
        meldingen.append(aangifte.melding)
    with run(sweep, now=now) as started:
        count = _remind(
            started, meldingen, kind, now, text, lambda melding: _epoch_day(moments[melding.pk])
        )
    _settle(come, moments)
    return count


def remind_aangifte(*, now=None):
    """Ask for the aangifte status 14 days after it last changed (until it is closed): once
    per status, so what was reminded since the last change is excluded."""
    now = now or timezone.now()
    due = (
        Aangifte.objects.exclude(status=AangifteStatus.CLOSED)
        .filter(
            status_changed_at__lte=now - timedelta(days=AANGIFTE_DAYS),
            melding__status__in=OPEN_STATUSES,
        )
        .exclude(
            Exists(
                JobRecord.objects.filter(
                    melding=OuterRef("melding"),
                    kind=JobKind.AANGIFTE,
                    acted_at__gt=OuterRef("status_changed_at"),
                )
            )
        )
    )
    return _remind_of_aangiften(
        due,
        come=_come("aangifte_reminder_at", now),
        moment="status_changed_at",
        sweep="incidents-remind-aangifte",
        kind=JobKind.AANGIFTE,
        text=line("reminder.aangifte"),
        now=now,
    )


def remind_aangifte_confirmation(*, now=None):
    """A filed aangifte the police have not confirmed within the working days of
    ``followup.aangifte_confirm_days``: the triager is reminded once per filing (the level
    is the day the confirmation was due, so filing again starts a new wait)."""
    now = now or timezone.now()
    due = Aangifte.objects.filter(
        status=AangifteStatus.FILED,
        police_confirmed_on__isnull=True,
        confirm_due_at__lte=now,
        melding__status__in=OPEN_STATUSES,
    ).exclude(
        Exists(
            JobRecord.objects.filter(
                melding=OuterRef("melding"),
                kind=JobKind.AANGIFTE_POLICE,
                acted_at__gte=OuterRef("confirm_due_at"),
            )
        )
    )
    return _remind_of_aangiften(
        due,
        come=_come("police_reminder_at", now),
        moment="confirm_due_at",
        sweep="incidents-remind-aangifte-confirmation",
        kind=JobKind.AANGIFTE_POLICE,
        text=line("reminder.aangifte_police"),
        now=now,
    )


def remind_idle(*, now=None):
    """Open cases without activity for two weeks: once per quiet spell (what was reminded
    since its last activity is excluded)."""
    now = now or timezone.now()
    come = _come("idle_reminder_at", now)
    due = Melding.objects.filter(
        pk__in=come,
        status__in=ACKED_STATUSES,
        last_activity_at__lte=now - timedelta(days=IDLE_DAYS),
    ).exclude(
        Exists(
            JobRecord.objects.filter(
                melding=OuterRef("pk"),
                kind=JobKind.IDLE,
                acted_at__gt=OuterRef("last_activity_at"),
            )
        )
    )
    meldingen = list(due.only(*_REMIND_FIELDS).order_by("pk")) if come else []
    with run("incidents-remind-idle", now=now) as sweep:
        count = _remind(
            sweep,
            meldingen,
            JobKind.IDLE,
            now,
            line("reminder.idle"),
            lambda melding: _epoch_day(melding.last_activity_at),
        )
    _settle(come, [m.pk for m in meldingen])
    return count
