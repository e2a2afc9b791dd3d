"""Periodic sweeps. Each finds what is due through an indexed column, then acts per
application under its row lock and records the act in ``SweepRecord`` (unique per
application, kind and level) in the same transaction — so two workers, a retry or a
crashed run never warn, escalate or remind twice, and a missed run is caught up."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar import audit
from weerbaar.constants import AuditAction

from .. import scoring
from ..access import employer_contacts
from ..constants import (
    CLOSED,
    WAITING_FOR_INTAKE,
    MeasureStatus,
    Status,
    SweepKind,
    SweepLevel,
    TimelineKind,
)
from ..models import Application, Measure, ScanFinding, SweepRecord
from .base import intake_officers, lock, notify_people, team_leads, timeline

__all__ = ["purge_closed", "remind_open_measures", "rescore_open", "sweep_sla"]

MEASURE_REMINDERS = ((SweepLevel.DAYS_60, 60), (SweepLevel.DAYS_30, 30))


def _act_once(application_id, kind, level, still_due, act):
    """Run ``act(app)`` once per (application, kind, level). The row lock serialises
    concurrent sweeps; the unique record makes the second one see it was done."""
    with transaction.atomic():
        app = lock(Application(pk=application_id))
        if not still_due(app):
            return False
        if SweepRecord.objects.filter(application=app, kind=kind, level=level).exists():
            return False
        SweepRecord.objects.create(application=app, kind=kind, level=level)
        act(app)
        timeline(app, actor=None, kind=TimelineKind.REMINDER, message=SweepLevel(level).label)
        return True


def _without_record(queryset, kind, level):
    return queryset.exclude(sweep_records__kind=kind, sweep_records__level=level)


def sweep_sla(now=None):
    """A working day before the intake deadline the intake officer (or, unclaimed, every
    intake officer) is warned; at the deadline the team leads get the escalation."""
    now = now or timezone.now()
    waiting = Application.objects.filter(intake_held_at__isnull=True, status__in=WAITING_FOR_INTAKE)

    def still_waiting(app):
        return app.intake_held_at is None and app.status in WAITING_FOR_INTAKE

    def warn(app):
        people = [app.intake_officer] if app.intake_officer else intake_officers()
        notify_people(
            people,
            app,
            kind="sla_warning",
            subject=_("Termijn intake Veilig Wonen verloopt bijna"),
            body=_("De termijn voor het intakegesprek van een aanvraag verloopt binnenkort."),
            dedupe="sla_warning",
        )

    def escalate(app):
        notify_people(
            team_leads(),
            app,
            kind="sla_escalation",
            subject=_("Termijn intake Veilig Wonen overschreden"),
            body=_(
                "De termijn voor het intakegesprek van een aanvraag is overschreden. "
                "Log in om de aanvraag te bekijken."
            ),
            dedupe="sla_escalation",
        )

    acted = 0
    for level, column, act in (
        (SweepLevel.WARNING, "sla_warn_at", warn),
        (SweepLevel.ESCALATION, "sla_due_at", escalate),
    ):
        due = _without_record(waiting.filter(**{f"{column}__lte": now}), SweepKind.SLA, level)
        for pk in due.values_list("pk", flat=True):
            acted += _act_once(pk, SweepKind.SLA, level, still_waiting, act)
    return acted


def remind_open_measures(now=None):
    """Remind the employer contacts of measures still planned 30 and 60 days after the
    advice was issued (each reminder once per application and level)."""
    now = now or timezone.now()
    acted = 0
    for level, days in MEASURE_REMINDERS:
        due = Application.objects.filter(
            status__in=(Status.ADVICE_ISSUED, Status.MEASURES_IN_PROGRESS),
            advice_issued_at__lte=now - timedelta(days=days),
            advice__measures__status=MeasureStatus.PLANNED,
        ).distinct()
        for pk in _without_record(due, SweepKind.MEASURES, level).values_list("pk", flat=True):
            acted += _act_once(
                pk,
                SweepKind.MEASURES,
                level,
                _has_open_measures,
                lambda app, lvl=level: _remind(app, lvl),
            )
    return acted


def _has_open_measures(app):
    return app.status in (Status.ADVICE_ISSUED, Status.MEASURES_IN_PROGRESS) and (
        Measure.objects.filter(advice__application=app, status=MeasureStatus.PLANNED).exists()
    )


def _remind(app, level):
    notify_people(
        employer_contacts(app.organisation),
        app,
        kind="measures_reminder",
        subject=_("Openstaande maatregelen Veilig Wonen"),
        body=_(
            "Er staan nog maatregelen uit een beveiligingsadvies open. "
            "Log in om de voortgang bij te werken."
        ),
        dedupe=f"measures:{level}",
    )


def rescore_open(now=None, batch=500):
    """Recompute every open application's score (waiting points grow each working day)."""
    now = now or timezone.now()
    changed = []
    for app in Application.objects.exclude(status__in=CLOSED).iterator(chunk_size=batch):
        new = scoring.score(app, now)
        if new != app.score:
            app.score, app.scored_at = new, now
            changed.append(app)
    Application.objects.bulk_update(changed, ["score", "scored_at"], batch_size=batch)
    return len(changed)


def purge_closed(now=None):
    """Retention: a closed file's private details, findings and notes are erased after
    ``VEILIGWONEN_RETENTION_DAYS`` (default seven years); the bare record and the costs
    stay for the scheme's accounts."""
    now = now or timezone.now()
    days = getattr(settings, "VEILIGWONEN_RETENTION_DAYS", 7 * 365)
    due = Application.objects.filter(
        purged_at__isnull=True, closed_at__lte=now - timedelta(days=days)
    ).values_list("pk", flat=True)
    purged = 0
    for pk in due:
        with transaction.atomic():
            app = lock(Application(pk=pk))
            if app.purged_at is not None or app.status not in CLOSED:
                continue
            for field in (
                "home_address",
                "household",
                "phone",
                "urgency_notes",
                "intake_findings",
                "handoff_note",
            ):
                setattr(app, field, "")
            app.purged_at = now
            app.save()
            ScanFinding.objects.filter(application=app).delete()
            Measure.objects.filter(advice__application=app).update(notes="")
            if hasattr(app, "advice"):
                app.advice.summary = app.advice.review_remarks = ""
                app.advice.save(update_fields=["summary", "review_remarks"])
            timeline(
                app, actor=None, kind=TimelineKind.PURGED, message=_("Bewaartermijn verstreken")
            )
            audit.record(AuditAction.PURGE, obj=app, organisation=app.organisation)
            purged += 1
    return purged
