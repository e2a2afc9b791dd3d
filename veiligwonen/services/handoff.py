"""The hand-off to the Stelsel Bewaken en Beveiligen after it was recorded
(``intake.hand_off``): the receiving unit's confirmation of receipt, which closes the case,
or its taking back (the unit refused, or it was recorded in error), which returns the case
to BZK; and what the applicant and the employer are told at each step — only what is true
then."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..access import employer_contacts
from ..constants import (
    HANDOFF_RECEIPT_WORKING_DAYS,
    HandoffCancelReason,
    Status,
    SweepKind,
    TimelineKind,
)
from ..models import Handoff, SweepRecord, TimelineEntry
from ..workflow import BEFORE_ADVICE, TransitionNotAllowed
from .base import apply_transition, lock, notify_people, save_scored

__all__ = [
    "cancel_handoff",
    "handoff_receipt_days",
    "handoff_round",
    "notify_handoff",
    "record_handoff_receipt",
]


def handoff_receipt_days():
    """Working days the unit has to confirm receipt before BZK's intake is reminded."""
    return getattr(settings, "VEILIGWONEN_HANDOFF_RECEIPT_DAYS", HANDOFF_RECEIPT_WORKING_DAYS)


# (kind, applicant's subject and body, employer's subject and body) per step. Nothing of the
# case, not even the unit (it says roughly where the office holder lives): that is on the
# case page behind the login.
_TEXTS = {
    False: (
        "handoff_started",
        gettext_lazy("Uw aanvraag Veilig Wonen wordt overgedragen"),
        gettext_lazy(
            "Wij dragen uw aanvraag over aan het Stelsel Bewaken en Beveiligen (politie of "
            "NCTV). Zodra zij de ontvangst hebben bevestigd, laten wij u dat weten. Log in "
            "voor de status."
        ),
        gettext_lazy("Aanvraag Veilig Wonen wordt overgedragen"),
        gettext_lazy(
            "BZK draagt een aanvraag Veilig Wonen over aan het Stelsel Bewaken en Beveiligen. "
            "Zodra de ontvangst is bevestigd, hoort u het. Log in voor de status."
        ),
    ),
    # Taken back (refused or recorded in error): one text for both, as what is true for
    # the applicant is the same — no hand-off, BZK goes on with the application.
    "cancelled": (
        "handoff_cancelled",
        gettext_lazy("Uw aanvraag Veilig Wonen wordt niet overgedragen"),
        gettext_lazy(
            "Uw aanvraag wordt niet overgedragen aan het Stelsel Bewaken en Beveiligen. BZK "
            "behandelt uw aanvraag verder in de regeling Veilig Wonen. Log in voor de status."
        ),
        gettext_lazy("Aanvraag Veilig Wonen wordt niet overgedragen"),
        gettext_lazy(
            "Een aanvraag Veilig Wonen wordt niet overgedragen aan het Stelsel Bewaken en "
            "Beveiligen; BZK behandelt haar verder. Log in voor de status."
        ),
    ),
    True: (
        "handed_off",
        gettext_lazy("Uw aanvraag Veilig Wonen is ontvangen door het Stelsel"),
        gettext_lazy(
            "Het Stelsel Bewaken en Beveiligen heeft uw aanvraag ontvangen en neemt contact "
            "met u op. Log in voor de status."
        ),
        gettext_lazy("Aanvraag Veilig Wonen overgedragen"),
        gettext_lazy(
            "Het Stelsel Bewaken en Beveiligen heeft een aanvraag Veilig Wonen ontvangen en "
            "neemt contact op met de aanvrager. Log in voor de status."
        ),
    ),
}


def notify_handoff(application, *, received, handoff=None):
    """Tell the applicant and the employer contacts where the hand-off stands
    (``received``: True, False, or "cancelled"). A hand-off recorded again after being taken
    back is news again: its messages are told apart by ``handoff``'s recording time."""
    kind, subject, body, employer_subject, employer_body = _TEXTS[received]
    handoff = handoff or Handoff.objects.filter(application=application).first()
    round_ = f":{handoff_round(handoff)}" if handoff else ""
    notify_people(
        [application.applicant],
        application,
        kind=kind,
        subject=subject,
        body=body,
        dedupe=f"applicant{round_}",
    )
    employers = [
        u for u in employer_contacts(application.organisation) if u.pk != application.applicant_id
    ]
    if employers:
        notify_people(
            employers,
            application,
            kind=kind,
            subject=employer_subject,
            body=employer_body,
            dedupe=f"employer{round_}",
        )


def record_handoff_receipt(application, *, actor, received_by, received_on, request=None):
    """The receiving unit confirmed receipt: who there and on which day. Only now is the
    case handed off and closed, and only now is the applicant told that they will be
    contacted. BZK's intake records it (the workflow refuses anyone else)."""
    with transaction.atomic():
        app = lock(application)
        apply_transition(app, "confirm_handoff", actor=actor, request=request)
        handoff = Handoff.objects.select_for_update().get(application=app)
        if received_on < handoff.handed_over_on:
            raise TransitionNotAllowed(
                _("De ontvangst kan niet vóór de datum van de overdracht liggen."),
                field="received_on",
            )
        if received_on > timezone.localdate():
            raise TransitionNotAllowed(
                _("De datum van ontvangst ligt in de toekomst."), field="received_on"
            )
        handoff.received_by = received_by
        handoff.received_on = received_on
        handoff.receipt_recorded_by = actor
        handoff.receipt_recorded_at = timezone.now()
        handoff.save()
        save_scored(app)
        notify_handoff(app, received=True, handoff=handoff)
        return app


def handoff_round(handoff):
    """Tells one recording of a hand-off from a later one (for the messages' dedupe keys)."""
    return int(handoff.recorded_at.timestamp() * 1_000_000)


def _handed_off_from(app):
    """The status the case was in when it was handed off: the timeline's line of that
    step. (An old case without it goes back to the start of the intake.)"""
    found = (
        TimelineEntry.objects.filter(
            application=app, kind=TimelineKind.STATUS, to_status=Status.HANDOFF_PENDING
        )
        .order_by("-pk")
        .values_list("from_status", flat=True)
        .first()
    )
    return found if found in BEFORE_ADVICE else Status.SUBMITTED


def cancel_handoff(application, *, actor, reason, note, request=None):
    """Take back a hand-off that waits for its receipt: the unit refused the case
    (``HandoffCancelReason.REFUSED``) or it was recorded in error (``ERROR``). The case
    returns to the state it was handed off from, BZK's again; the receipt reminder stops
    (it only looks at cases waiting for a receipt) and a later hand-off gets its own; the
    applicant and the employer hear that it is not handed over and that BZK goes on — the
    reason is BZK's (on the case page for BZK, in the audit line as its code). Only the
    case's own intake officer, who holds the referral."""
    reason = HandoffCancelReason(reason)
    with transaction.atomic():
        app = lock(application)
        if app.intake_officer_id not in (None, actor.pk):
            raise TransitionNotAllowed(_("Deze aanvraag is opgepakt door een collega."))
        apply_transition(
            app,
            "cancel_handoff",
            actor=actor,
            request=request,
            target=_handed_off_from(app),
            reason=reason.value,
        )
        handoff = Handoff.objects.select_for_update().get(application=app)
        handoff.cancelled_at = timezone.now()
        handoff.cancelled_by = actor
        handoff.cancel_reason = reason
        handoff.cancel_note = note
        handoff.save()
        SweepRecord.objects.filter(application=app, kind=SweepKind.HANDOFF).delete()
        save_scored(app)
        notify_handoff(app, received="cancelled", handoff=handoff)
        return app
