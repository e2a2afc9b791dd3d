"""Periodic sweeps. Each finds what is due with one query on a partial index (what it
already acted on is excluded in SQL, so a run with nothing due reads nothing more), then
acts in chunks of ``CHUNK`` applications: per chunk one transaction that locks the
applications still due (in primary-key order, so two workers queue behind each other
instead of deadlocking), claims them and writes what the act consists of with one
statement each (notifications, timeline lines, and for the purge the erasure and the
audit lines). The claim of a reminder is its ``SweepRecord`` (unique per application,
kind and level), inserted with ``INSERT ... ON CONFLICT DO NOTHING``; that of the purge
is ``purged_at``, re-checked under the lock.

So two workers, a retry or a crashed run never warn, escalate, remind or purge twice, and
a crash loses nothing: the chunk's transaction rolls back whole and the next run finds
the same applications due. The chunks and their transactions are the core's sweep runner
(``weerbaar.sweeps``): an application that makes its chunk fail is acted on alone, recorded,
reported and retried later, and the others are still acted on."""

from datetime import timedelta
from functools import cache

from django.conf import settings
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar import audit, search
from weerbaar.batching import claim
from weerbaar.constants import AuditAction
from weerbaar.notifications import notify_batch
from weerbaar.sweeps import run

from .. import reminders as next_reminders
from ..access import employer_contacts_by_organisation
from ..constants import (
    CLOSED,
    WAITING_FOR_INTAKE,
    MeasureStatus,
    Status,
    SweepKind,
    SweepLevel,
    TimelineKind,
)
from ..models import (
    Advice,
    Application,
    Document,
    Handoff,
    Measure,
    Message,
    ScanFinding,
    SweepRecord,
    TimelineEntry,
)
from ..models.application import PRIVATE_FIELDS
from ..timeline_texts import line
from .base import intake_officers, message, team_leads, timeline_entry
from .handoff import handoff_round

__all__ = ["CHUNK", "purge_closed", "remind_handoff_receipt", "remind_open_measures", "sweep_sla"]

# Applications per transaction: large enough that a chunk costs a handful of statements,
# small enough that the row locks are held briefly.
CHUNK = 200


def _lock(condition, ids):
    """The applications of ``ids`` that ``condition`` still finds, locked until the end of
    the transaction. The condition is evaluated again on the latest row version after
    waiting for a lock, so what another transaction changed meanwhile counts."""
    return list(
        Application.objects.select_for_update(of=("self",))
        .filter(condition, pk__in=ids)
        .order_by("pk")
        .only("pk", "organisation", "intake_officer")
    )


def _timeline(applications, kind, text):
    TimelineEntry.objects.bulk_create(
        timeline_entry(app, actor=None, kind=kind, text=text) for app in applications
    )


def _act_in_chunks(
    sweep, condition, kind, level, messages, now, *, refine=None, after=None, ids=None
):
    """Act once on every application ``condition`` (and ``refine``) finds without a record
    of (kind, level): ``messages(applications)`` gives the notifications of a claimed
    chunk, which also gets its timeline lines. Returns the number acted on.

    ``refine`` is a costlier condition (a join) applied in a second query to the
    candidates the cheap one found: left to the planner, the join is done first, over
    every row it could match, even when nothing is due. ``after(pks)`` runs in each chunk's
    transaction with the applications it locked (a sweep's column moved on). ``ids``: the
    candidates, when the sweep found them itself (from a column of its own); the lock tests
    ``condition`` on them and the claim skips what was done before."""
    if ids is None:
        # NOT EXISTS: a probe of the records' unique index per candidate. (A NOT IN hashed
        # every record of the kind and level on each run: it grew with the history.)
        ids = list(
            Application.objects.filter(condition)
            .exclude(_sent(kind, level))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    if refine is not None:
        if ids:
            ids = list(
                Application.objects.filter(refine, pk__in=ids)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        condition &= refine

    def act(chunk):
        locked = _lock(condition, chunk)
        claimed = {
            pk
            for pk, _level in claim(
                SweepRecord, "application", [(app.pk, kind, level) for app in locked], now
            )
        }
        applications = [app for app in locked if app.pk in claimed]
        if after is not None and locked:
            after([app.pk for app in locked])
        if not applications:
            return 0
        notify_batch(messages(applications))
        _timeline(applications, TimelineKind.REMINDER, line("reminder", l=SweepLevel(level).value))
        return len(applications)

    return sweep.act(ids, act, model=Application, chunk=CHUNK)


def sweep_sla(now=None):
    """A working day before the intake deadline the intake officer (or, unclaimed, every
    intake officer) is warned; at the deadline the team leads get the escalation."""
    now = now or timezone.now()
    waiting = Q(intake_held_at__isnull=True, status__in=WAITING_FOR_INTAKE)
    officers, leads = cache(intake_officers), cache(team_leads)

    def warnings(applications):
        return [
            message(
                app,
                [app.intake_officer_id] if app.intake_officer_id else officers(),
                kind="sla_warning",
                subject=_("Termijn intake Veilig Wonen verloopt bijna"),
                body=_("De termijn voor het intakegesprek van een aanvraag verloopt binnenkort."),
                dedupe="sla_warning",
            )
            for app in applications
        ]

    def escalations(applications):
        return [
            message(
                app,
                leads(),
                kind="sla_escalation",
                subject=_("Termijn intake Veilig Wonen overschreden"),
                body=_(
                    "De termijn voor het intakegesprek van een aanvraag is overschreden. "
                    "Log in om de aanvraag te bekijken."
                ),
                dedupe="sla_escalation",
            )
            for app in applications
        ]

    locked = set()

    def moved_on(pks):
        locked.update(pks)
        next_reminders.refresh(Application.objects.filter(pk__in=pks))

    messages = {SweepLevel.WARNING: warnings, SweepLevel.ESCALATION: escalations}
    acted = 0
    with run("veiligwonen-sla", now=now) as sweep:
        # What is due, from the partial index of the next SLA moment: with nothing due an
        # empty range, however many cases wait (already warned or not). One read gives the
        # candidates and, per level, whether it is due and not sent (a probe of the
        # records' unique index per candidate).
        flags = {
            f"due_{level}": ExpressionWrapper(
                waiting & Q(**{f"{field}__lte": now}) & ~_sent(SweepKind.SLA, level),
                output_field=BooleanField(),
            )
            for level, field in next_reminders.SLA_LEVELS
        }
        candidates = list(
            Application.objects.filter(sla_reminder_at__lte=now)
            .annotate(**flags)
            .order_by("pk")
            .values_list("pk", *flags)
        )
        for i, (level, field) in enumerate(next_reminders.SLA_LEVELS, start=1):
            ids = [row[0] for row in candidates if row[i]]
            if ids:
                condition = waiting & Q(**{f"{field}__lte": now})
                acted += _act_in_chunks(
                    sweep,
                    condition,
                    SweepKind.SLA,
                    level,
                    messages[level],
                    now,
                    after=moved_on,
                    ids=ids,
                )
        # Those that were not due after all (a column set early), or whose chunk failed:
        # set again from their state.
        again = [row[0] for row in candidates if row[0] not in locked]
        if again:
            next_reminders.refresh(Application.objects.filter(pk__in=again))
    return acted


def _sent(kind, level):
    return Exists(SweepRecord.objects.filter(application=OuterRef("pk"), kind=kind, level=level))


def remind_open_measures(now=None):
    """Remind the employer contacts of measures still planned 30 and 60 days after the
    advice was issued (each reminder once per application and level)."""
    now = now or timezone.now()
    contacts = {}  # organisation id -> secretarissen, read once per run

    def reminders(applications, level):
        missing = {app.organisation_id for app in applications} - contacts.keys()
        contacts.update(employer_contacts_by_organisation(missing))
        return [
            message(
                app,
                contacts[app.organisation_id],
                kind="measures_reminder",
                subject=_("Openstaande maatregelen Veilig Wonen"),
                body=_(
                    "Er staan nog maatregelen uit een beveiligingsadvies open. "
                    "Log in om de voortgang bij te werken."
                ),
                dedupe=f"measures:{level}",
            )
            for app in applications
        ]

    planned = Measure.objects.filter(
        advice__application=OuterRef("pk"), status=MeasureStatus.PLANNED
    )

    def moved_on(pks):
        next_reminders.refresh(Application.objects.filter(pk__in=pks))

    acted = 0
    with run("veiligwonen-measure-reminders", now=now) as sweep:
        # What is due, from the partial index of the next reminder: with nothing due an
        # empty range, however many cases have measures open.
        candidates = list(
            Application.objects.filter(measure_reminder_at__lte=now)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not candidates:
            return 0
        for level, days in reversed(next_reminders.MEASURE_REMINDERS):
            due = Q(
                pk__in=candidates,
                status__in=next_reminders.MEASURE_STATUSES,
                advice_issued_at__lte=now - timedelta(days=days),
            )
            acted += _act_in_chunks(
                sweep,
                due,
                SweepKind.MEASURES,
                level,
                lambda applications, lvl=level: reminders(applications, lvl),
                now,
                refine=Q(Exists(planned)),
                after=moved_on,
            )
        # Those that were not due after all (no measure planned any more, a column set
        # early), or whose chunk failed: set again from their state.
        next_reminders.refresh(
            Application.objects.filter(pk__in=candidates, measure_reminder_at__lte=now)
        )
    return acted


def remind_handoff_receipt(now=None):
    """A hand-off whose receipt the unit has not confirmed within the working days of
    ``handoff.handoff_receipt_days``: the intake officer of the case (every intake officer
    when none) is reminded, once per hand-off. BZK then calls the unit; the applicant is
    not told anything new, because nothing new is true."""
    now = now or timezone.now()
    officers = cache(intake_officers)

    def reminders(applications):
        # Once per hand-off: one taken back and recorded anew is reminded of again.
        rounds = {
            h.application_id: handoff_round(h)
            for h in Handoff.objects.filter(application__in=applications).only(
                "application_id", "recorded_at"
            )
        }
        return [
            message(
                app,
                [app.intake_officer_id] if app.intake_officer_id else officers(),
                kind="handoff_receipt",
                subject=_("Ontvangst overdracht Veilig Wonen niet bevestigd"),
                body=_(
                    "De ontvangende eenheid heeft de ontvangst van een overgedragen aanvraag "
                    "nog niet bevestigd. Neem contact op met de eenheid en leg de ontvangst "
                    "vast in het portaal."
                ),
                dedupe=f"handoff_receipt:{rounds[app.pk]}",
                anchor="#overdracht",
            )
            for app in applications
        ]

    due = Q(
        status=Status.HANDOFF_PENDING,
        handoff__receipt_recorded_at__isnull=True,
        handoff__receipt_due_at__lte=now,
    )
    locked = set()

    def moved_on(pks):
        locked.update(pks)
        next_reminders.refresh(Application.objects.filter(pk__in=pks))

    with run("veiligwonen-handoff-receipt", now=now) as sweep:
        # What is due, from the partial index of the receipt reminder: with nothing due an
        # empty range, however many hand-offs there were. The lock tests the full condition.
        candidates = list(
            Application.objects.filter(handoff_reminder_at__lte=now)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not candidates:
            return 0
        acted = _act_in_chunks(
            sweep,
            due,
            SweepKind.HANDOFF,
            SweepLevel.RECEIPT,
            reminders,
            now,
            after=moved_on,
            ids=candidates,
        )
        # Those that were not due after all (a column set early), or whose chunk failed:
        # set again from their state.
        again = [pk for pk in candidates if pk not in locked]
        if again:
            next_reminders.refresh(Application.objects.filter(pk__in=again))
    return acted


def purge_closed(now=None):
    """Retention: a closed file's private details, findings and notes are erased after
    ``VEILIGWONEN_RETENTION_DAYS`` (default seven years); the bare record and the costs
    stay for the scheme's accounts. ``purged_at`` is the record of having acted."""
    now = now or timezone.now()
    days = getattr(settings, "VEILIGWONEN_RETENTION_DAYS", 7 * 365)
    due = Q(purged_at__isnull=True, closed_at__lte=now - timedelta(days=days))
    ids = list(Application.objects.filter(due).order_by("pk").values_list("pk", flat=True))

    def purge(chunk):
        applications = _lock(due & Q(status__in=CLOSED), chunk)
        if not applications:
            return 0
        pks = [app.pk for app in applications]
        Application.objects.filter(pk__in=pks).update(
            purged_at=now, **dict.fromkeys(PRIVATE_FIELDS, "")
        )
        ScanFinding.objects.filter(application_id__in=pks).delete()
        Document.objects.filter(application_id__in=pks).delete()
        Message.objects.filter(application_id__in=pks).delete()
        Measure.objects.filter(advice__application_id__in=pks).update(notes="")
        Handoff.objects.filter(application_id__in=pks).update(
            contact_person="", reference="", received_by="", cancel_note=""
        )
        Advice.objects.filter(application_id__in=pks).update(summary="", review_remarks="")
        # The home address is gone: so are its search tokens.
        search.reindex("veiligwonen.application", pks)
        _timeline(applications, TimelineKind.PURGED, line("purged"))
        audit.record_many(
            [
                audit.event(AuditAction.PURGE, obj=app, organisation_id=app.organisation_id)
                for app in applications
            ]
        )
        return len(applications)

    with run("veiligwonen-retention", now=now) as sweep:
        return sweep.act(ids, purge, model=Application, chunk=CHUNK)
