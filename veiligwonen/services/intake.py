"""Intake planning, the intake conversation, the woningscan, and the two exits before an
advice: not eligible, and the hand-off to the Stelsel Bewaken en Beveiligen (its receipt:
``services.handoff``)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weerbaar import audit
from weerbaar.constants import AuditAction, Role
from weerbaar.workdays import add_working_days

from ..constants import Domain, TimelineKind
from ..models import Handoff, ScanFinding
from ..timeline_texts import line
from ..workflow import TransitionNotAllowed
from .appointments import INTAKE, SCAN, check_free, check_not_before
from .base import apply_transition, lock, notify_people, save_scored, timeline
from .handoff import handoff_receipt_days, notify_handoff

__all__ = [
    "hand_off",
    "hold_intake",
    "mark_not_eligible",
    "plan_intake",
    "plan_scan",
    "record_scan",
]


def plan_intake(application, *, actor, adviser, when, request=None):
    """Fix the intake conversation: the date and the CCV adviser who will hold it. The
    officer who plans it becomes the case's intake officer if nobody had claimed it."""
    if not adviser.has_role(Role.SECURITY_ADVISER):
        raise TransitionNotAllowed(_("Kies een beveiligingsadviseur van het CCV."), field="adviser")
    with transaction.atomic():
        app = lock(application)
        if app.intake_officer_id not in (None, actor.pk):
            raise TransitionNotAllowed(_("Deze aanvraag is opgepakt door een collega."))
        apply_transition(app, "plan_intake", actor=actor, request=request)
        check_free(adviser, when, INTAKE, application=app)
        app.intake_officer = app.intake_officer or actor
        app.claimed_at = app.claimed_at or timezone.now()
        app.adviser = adviser
        app.intake_planned_for = when
        save_scored(app)
        notify_people(
            [app.applicant],
            app,
            kind="intake_planned",
            subject=gettext_lazy("Uw intakegesprek Veilig Wonen is gepland"),
            body=gettext_lazy(
                "Er is een afspraak voor uw intakegesprek gemaakt. Log in voor de datum."
            ),
        )
        notify_people(
            [adviser],
            app,
            kind="adviser_assigned",
            subject=gettext_lazy("U bent adviseur van een aanvraag Veilig Wonen"),
            body=gettext_lazy(
                "Er is een intakegesprek voor u gepland. Log in om de aanvraag te bekijken."
            ),
            dedupe=f"adviser:{adviser.pk}",
        )
        return app


def hold_intake(application, *, actor, findings, urgency_class, request=None):
    """Record the intake conversation. The class may change here (new threats often come up
    at the intake); the change is on the timeline and re-scores the case."""
    with transaction.atomic():
        app = lock(application)
        apply_transition(app, "hold_intake", actor=actor, request=request)
        now = timezone.now()
        check_not_before(app.intake_planned_for, now, what=_("Het intakegesprek"))
        app.intake_held_at = now
        app.intake_findings = findings
        if urgency_class != app.urgency_class:
            timeline(
                app,
                actor=actor,
                kind=TimelineKind.RECLASSIFIED,
                text=line("reclassified", oud=app.urgency_class, nieuw=urgency_class),
            )
            audit.record(
                AuditAction.UPDATE,
                actor=actor,
                obj=app,
                request=request,
                change="reclassified",
                from_class=app.urgency_class,
                to_class=urgency_class,
            )
            app.urgency_class = urgency_class
        save_scored(app)
        return app


def plan_scan(application, *, actor, when, request=None):
    with transaction.atomic():
        app = lock(application)
        apply_transition(app, "plan_scan", actor=actor, request=request)
        check_free(app.adviser, when, SCAN, application=app)
        app.scan_planned_for = when
        save_scored(app)
        notify_people(
            [app.applicant],
            app,
            kind="scan_planned",
            subject=gettext_lazy("Uw woningscan is gepland"),
            body=gettext_lazy(
                "Er is een afspraak voor de woningscan gemaakt. Log in voor de datum."
            ),
        )
        return app


def record_scan(application, *, actor, findings_by_domain, request=None):
    """The scan's findings per domain (wonen, werk, verplaatsen, digitale informatie);
    at least one domain must have findings."""
    findings = {d: (findings_by_domain.get(d) or "").strip() for d in Domain}
    if not any(findings.values()):
        raise TransitionNotAllowed(_("Leg voor ten minste één domein bevindingen vast."))
    with transaction.atomic():
        app = lock(application)
        apply_transition(app, "record_scan", actor=actor, request=request)
        now = timezone.now()
        check_not_before(app.scan_planned_for, now, what=_("De woningscan"))
        for domain, text in findings.items():
            if text:
                ScanFinding.objects.update_or_create(
                    application=app, domain=domain, defaults={"findings": text}
                )
        app.scan_done_at = now
        save_scored(app)
        return app


def mark_not_eligible(application, *, actor, reason, request=None):
    with transaction.atomic():
        app = lock(application)
        apply_transition(app, "not_eligible", actor=actor, request=request)
        app.decision_reason = reason
        save_scored(app)
        notify_people(
            [app.applicant, app.filed_by],
            app,
            kind="not_eligible",
            subject=gettext_lazy("Besluit over uw aanvraag Veilig Wonen"),
            body=gettext_lazy(
                "Er is een besluit genomen over uw aanvraag. Log in om het te lezen."
            ),
        )
        return app


def hand_off(
    application, *, actor, unit, contact_person, handed_over_on, reference, note, request=None
):
    """A concrete threat is not for this scheme: BZK refers the case to the Stelsel Bewaken
    en Beveiligen (a police unit or the NCTV's DBB). The referral is recorded (unit, contact
    person, date, the unit's reference) and its document made from it (``pdf.referral_pdf``);
    the case waits in ``handoff_pending`` until the unit confirms receipt
    (``record_handoff_receipt``). The applicant hears that we are handing it over — not yet
    that anyone will contact them."""
    with transaction.atomic():
        app = lock(application)
        if app.intake_officer_id not in (None, actor.pk):
            # The referral carries the private details: only the case's own officer sees them.
            raise TransitionNotAllowed(_("Deze aanvraag is opgepakt door een collega."))
        apply_transition(app, "hand_off", actor=actor, request=request)
        now = timezone.now()
        app.intake_officer = app.intake_officer or actor
        app.claimed_at = app.claimed_at or now
        app.handoff_note = note
        # A case handed off before and taken back (``handoff.cancel_handoff``) is referred
        # anew: the one referral row gets the new one, with no receipt and no cancellation.
        handoff, _created = Handoff.objects.update_or_create(
            application=app,
            defaults={
                "unit": unit,
                "contact_person": contact_person,
                "handed_over_on": handed_over_on,
                "reference": reference,
                "recorded_by": actor,
                "recorded_at": now,
                "receipt_due_at": add_working_days(now, handoff_receipt_days()),
                "received_by": "",
                "received_on": None,
                "receipt_recorded_by": None,
                "receipt_recorded_at": None,
                "cancelled_at": None,
                "cancelled_by": None,
                "cancel_reason": "",
                "cancel_note": "",
            },
        )
        # After the referral row: the receipt reminder's column is read from it.
        save_scored(app)
        notify_handoff(app, received=False, handoff=handoff)
        return app
