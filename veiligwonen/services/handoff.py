"""The hand-off to the Stelsel Bewaken en Beveiligen after it was recorded
(``intake.hand_off``): the receiving unit's confirmation of receipt, which closes the case,
and what the applicant and the employer are told at each step — only what is true then."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..access import employer_contacts
from ..constants import HANDOFF_RECEIPT_WORKING_DAYS
from ..models import Handoff
from ..workflow import TransitionNotAllowed
from .base import apply_transition, lock, notify_people, save_scored

__all__ = ["handoff_receipt_days", "notify_handoff", "record_handoff_receipt"]


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


def notify_handoff(application, *, received):
    """Tell the applicant and the employer contacts where the hand-off stands."""
    kind, subject, body, employer_subject, employer_body = _TEXTS[received]
    notify_people(
        [application.applicant],
        application,
        kind=kind,
        subject=subject,
        body=body,
        dedupe="applicant",
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
            dedupe="employer",
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
        notify_handoff(app, received=True)
        return app
