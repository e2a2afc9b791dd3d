"""Filing, claiming and withdrawing an application."""

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from webhooks.events import EventType, emit
from weerbaar import audit
from weerbaar.constants import AuditAction, Role

from .. import scoring
from ..access import employer_contacts
from ..constants import ELIGIBLE_POSITIONS, WAITING_FOR_INTAKE, Status, TimelineKind
from ..models import Application
from ..timeline_texts import line
from ..workflow import TransitionNotAllowed
from .base import (
    apply_transition,
    intake_officers,
    lock,
    notify_people,
    save_scored,
    set_sla,
    timeline,
)

__all__ = [
    "AlreadyClaimed",
    "NotEligible",
    "claim",
    "own_meldingen",
    "submit_application",
    "withdraw",
]

PRIVATE_FIELDS = ("home_address", "household", "phone", "urgency_notes")
INDICATORS = ("recent_threats", "public_exposure", "incidents_at_home", "planned_move")


class NotEligible(Exception):
    pass


class AlreadyClaimed(TransitionNotAllowed):
    pass


def submit_application(*, membership, filed_by, request=None, linked_meldingen=(), **data):
    """File an application for the office holder of ``membership`` — by themselves, or by
    the secretaris of the same organisation on their behalf."""
    if membership.role != Role.OFFICE_HOLDER or membership.position not in ELIGIBLE_POSITIONS:
        raise NotEligible(_("Deze functie valt niet onder de regeling Veilig Wonen."))
    own = filed_by.pk == membership.user_id
    if not own and not filed_by.has_role(Role.SECRETARIS, organisation=membership.organisation):
        raise NotEligible(_("U kunt alleen namens bestuurders van uw eigen organisatie aanvragen."))
    with transaction.atomic():
        application = Application(
            applicant=membership.user,
            organisation=membership.organisation,
            position=membership.position,
            filed_by=filed_by,
            linked_meldingen=own_meldingen(membership.user, linked_meldingen),
            **{k: data.get(k, "") for k in PRIVATE_FIELDS},
            **{k: bool(data.get(k)) for k in INDICATORS},
        )
        application.urgency_class = scoring.proposed_class(
            **{k: getattr(application, k) for k in INDICATORS}
        )
        set_sla(application)
        save_scored(application)
        timeline(
            application,
            actor=filed_by,
            kind=TimelineKind.STATUS,
            text=line("submitted"),
            to_status=Status.SUBMITTED,
        )
        audit.record(
            AuditAction.CREATE,
            actor=filed_by,
            obj=application,
            request=request,
            organisation=application.organisation,
            urgency_class=application.urgency_class,
            on_behalf=not own,
        )
        emit(EventType.VEILIGWONEN_STATUS_CHANGED, application)
        notify_people(
            {application.applicant, filed_by},
            application,
            kind="submitted",
            subject=gettext_lazy("Uw aanvraag Veilig Wonen is ontvangen"),
            body=gettext_lazy(
                "Uw aanvraag is ontvangen. BZK neemt contact met u op voor een intakegesprek."
            ),
            dedupe="submitted",
        )
        notify_people(
            [u for u in employer_contacts(application.organisation) if u.pk != filed_by.pk],
            application,
            kind="employer_informed",
            subject=gettext_lazy("Aanvraag Veilig Wonen binnen uw organisatie"),
            body=gettext_lazy(
                "Er is een aanvraag Veilig Wonen ingediend voor een bestuurder van uw "
                "organisatie. Log in om de voortgang te volgen."
            ),
            dedupe="employer",
        )
        notify_people(
            intake_officers(),
            application,
            kind="new_in_queue",
            subject=gettext_lazy("Nieuwe aanvraag Veilig Wonen in de wachtrij"),
            body=gettext_lazy(
                "Er staat een nieuwe aanvraag in de wachtrij. Log in om die te bekijken."
            ),
            dedupe="queue",
        )
    return application


def own_meldingen(applicant, ids):
    """Of the given melding ids, those the applicant reported themselves (sent, not a
    draft): an application can point to its own meldingen, never to someone else's."""
    ids = {int(pk) for pk in ids}
    if not ids:
        return []
    melding = apps.get_model("incidents", "Melding")
    own = melding.objects.filter(pk__in=ids, reporter=applicant).exclude(status="draft")
    return sorted(own.values_list("pk", flat=True))


def claim(application, *, actor, request=None):
    """Take a waiting case as intake officer. Under the row lock only the first of two
    officers claiming at once wins; the other gets ``AlreadyClaimed`` with a Dutch message."""
    with transaction.atomic():
        app = lock(application)
        if not actor.has_role(Role.VW_INTAKE):
            raise TransitionNotAllowed(_("Alleen intakemedewerkers kunnen een aanvraag oppakken."))
        if app.status not in WAITING_FOR_INTAKE:
            raise TransitionNotAllowed(_("Deze aanvraag wacht niet meer op intake."))
        if app.intake_officer_id == actor.pk:
            return app
        if app.intake_officer_id is not None:
            raise AlreadyClaimed(
                _("Deze aanvraag is al opgepakt door %(naam)s.") % {"naam": app.intake_officer}
            )
        app.intake_officer = actor
        app.claimed_at = timezone.now()
        save_scored(app)
        timeline(app, actor=actor, kind=TimelineKind.CLAIM, text=line("claimed"))
        audit.record(AuditAction.UPDATE, actor=actor, obj=app, request=request, change="claimed")
        return app


def withdraw(application, *, actor, request=None):
    with transaction.atomic():
        app = lock(application)
        apply_transition(app, "withdraw", actor=actor, request=request)
        save_scored(app)
        recipients = {app.applicant, app.intake_officer, app.adviser} - {actor}
        notify_people(
            recipients,
            app,
            kind="withdrawn",
            subject=gettext_lazy("Aanvraag Veilig Wonen ingetrokken"),
            body=gettext_lazy("Een aanvraag Veilig Wonen is ingetrokken. Log in voor de details."),
            dedupe="withdrawn",
        )
        return app
