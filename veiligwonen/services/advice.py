"""Drafting, reviewing (four eyes) and issuing the advice."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import workflow
from ..access import case_roles, employer_contacts
from ..constants import Status
from ..models import Advice, Measure
from ..workflow import TransitionNotAllowed
from .base import apply_transition, bva_users, lock, notify_people, save_scored

__all__ = [
    "add_measure",
    "issue_advice",
    "remove_measure",
    "resume_draft",
    "return_advice",
    "save_summary",
    "start_advice",
    "submit_for_review",
]

EDITABLE = (Status.ADVICE_DRAFT,)


def start_advice(application, *, actor, request=None):
    with transaction.atomic():
        app = lock(application)
        apply_transition(app, "start_advice", actor=actor, request=request)
        Advice.objects.get_or_create(application=app, defaults={"author": actor})
        save_scored(app)
        return app


def _draft_for(app, actor):
    if app.status not in EDITABLE or app.adviser_id != actor.pk:
        raise TransitionNotAllowed(_("Alleen de adviseur kan het conceptadvies aanpassen."))
    return app.advice


def save_summary(application, *, actor, summary):
    with transaction.atomic():
        app = lock(application)
        advice = _draft_for(app, actor)
        advice.summary = summary
        advice.save(update_fields=["summary"])
        return advice


def add_measure(application, *, actor, measure_type, notes="", estimated_cost=None):
    """Copy a catalogue measure into the draft; the adviser may adjust the estimate."""
    with transaction.atomic():
        app = lock(application)
        advice = _draft_for(app, actor)
        return Measure.objects.create(
            advice=advice,
            measure_type=measure_type,
            domain=measure_type.domain,
            category=measure_type.category,
            responsible_party=measure_type.responsible_party,
            estimated_cost=(
                measure_type.estimated_cost if estimated_cost is None else estimated_cost
            ),
            priority=measure_type.priority,
            notes=notes,
        )


def remove_measure(application, *, actor, measure_id):
    with transaction.atomic():
        app = lock(application)
        advice = _draft_for(app, actor)
        advice.measures.filter(pk=measure_id).delete()


def submit_for_review(application, *, actor, summary=None, request=None):
    """Send the draft to the BVA. ``summary``, when given, is saved first (the step's form
    carries it); an advice without a summary or without a measure is refused."""
    with transaction.atomic():
        app = lock(application)
        workflow.check("submit_for_review", app.status, case_roles(actor, app))
        advice = app.advice
        if summary is not None:
            advice.summary = summary.strip()
        if not (advice.summary or "").strip():
            raise TransitionNotAllowed(
                _(
                    "Schrijf eerst een samenvatting van het advies. Zonder samenvatting kan "
                    "het advies niet ter beoordeling."
                ),
                field="summary",
            )
        if not advice.measures.exists():
            raise TransitionNotAllowed(_("Een advies bevat ten minste één maatregel."))
        apply_transition(app, "submit_for_review", actor=actor, request=request)
        advice.submitted_at = timezone.now()
        advice.reviewer = None
        advice.save(update_fields=["summary", "submitted_at", "reviewer"])
        save_scored(app)
        notify_people(
            [u for u in bva_users() if u.pk != advice.author_id],
            app,
            kind="review_requested",
            subject=gettext_lazy("Advies Veilig Wonen ter beoordeling"),
            body=gettext_lazy(
                "Er staat een advies klaar voor uw beoordeling. Log in om het te bekijken."
            ),
        )
        return app


def _review(app, actor, action, request):
    advice = app.advice
    if advice.author_id == actor.pk:
        raise TransitionNotAllowed(
            _("U hebt dit advies zelf opgesteld; een andere BVA moet het beoordelen.")
        )
    apply_transition(app, action, actor=actor, request=request)
    advice.reviewer = actor
    advice.reviewed_at = timezone.now()
    return advice


def return_advice(application, *, actor, remarks, request=None):
    if not remarks.strip():
        raise TransitionNotAllowed(_("Geef aan wat er aan het advies moet veranderen."))
    with transaction.atomic():
        app = lock(application)
        advice = _review(app, actor, "return_advice", request)
        advice.review_remarks = remarks
        advice.save(update_fields=["reviewer", "reviewed_at", "review_remarks"])
        save_scored(app)
        notify_people(
            [advice.author],
            app,
            kind="advice_returned",
            subject=gettext_lazy("Advies Veilig Wonen teruggestuurd"),
            body=gettext_lazy("De BVA heeft opmerkingen bij uw advies. Log in om ze te lezen."),
        )
        return app


def resume_draft(application, *, actor, request=None):
    with transaction.atomic():
        app = lock(application)
        apply_transition(app, "resume_draft", actor=actor, request=request)
        save_scored(app)
        return app


def issue_advice(application, *, actor, request=None):
    """Approve and issue. The PDFs are rendered on download from the issued record, so the
    applicant's and the employer's documents always match what was approved."""
    with transaction.atomic():
        app = lock(application)
        advice = _review(app, actor, "issue_advice", request)
        advice.save(update_fields=["reviewer", "reviewed_at"])
        app.advice_issued_at = timezone.now()
        save_scored(app)
        notify_people(
            [app.applicant, *employer_contacts(app.organisation)],
            app,
            kind="advice_issued",
            subject=gettext_lazy("Advies Veilig Wonen uitgebracht"),
            body=gettext_lazy(
                "Het beveiligingsadvies is uitgebracht. Log in om het te downloaden."
            ),
            dedupe="issued",
        )
        notify_people(
            [advice.author],
            app,
            kind="advice_approved",
            subject=gettext_lazy("Advies Veilig Wonen goedgekeurd"),
            body=gettext_lazy("De BVA heeft uw advies goedgekeurd en uitgebracht."),
            dedupe="approved",
        )
        return app
