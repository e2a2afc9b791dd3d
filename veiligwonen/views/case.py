from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from weerbaar import audit
from weerbaar.access import get_visible_or_404
from weerbaar.constants import AuditAction
from weerbaar.labels import with_dates, with_labels

from .. import forms, pdf, services
from ..access import (
    FINISHED_ELSEWHERE,
    can_see_document,
    can_see_private_details,
    can_see_referral,
    case_roles,
    in_thread,
    upload_kinds,
)
from ..constants import ISSUED
from ..models import Application
from ..workflow import ACTIONS, CaseRole, allowed_actions

# The form each step shows on the case page.
STEP_FORMS = {
    "plan_intake": forms.PlanIntakeForm,
    "hold_intake": forms.HoldIntakeForm,
    "hand_off": forms.HandOffForm,
    "confirm_handoff": forms.HandoffReceiptForm,
    "cancel_handoff": forms.CancelHandoffForm,
    "not_eligible": forms.NotEligibleForm,
    "plan_scan": forms.PlanScanForm,
    "record_scan": forms.ScanForm,
    "return_advice": forms.ReviewForm,
}


# Steps the service takes by itself when the employer updates the measures.
AUTOMATIC = {"start_measures", "complete", "issue_advice"}
# Sent from the advice section, with the summary it needs.
IN_ADVICE_SECTION = {"submit_for_review"}
# The review form handles both BVA decisions.
STEP_URL = {"return_advice": "review"}


def load_case(request, pk):
    return get_visible_or_404(
        request,
        # The advice (one to one, often absent) in the same query: the page and the
        # field-level rule both ask for it.
        Application.objects.select_related(
            "applicant",
            "organisation",
            "filed_by",
            "intake_officer",
            "adviser",
            "advice",
            "handoff__recorded_by",
            "handoff__cancelled_by",
        ),
        pk=pk,
    )


def case_context(request, application, bound=None):
    """Everything the case page shows, filtered by the field-level rule. ``bound`` replaces
    one step's empty form by the submitted one with its errors."""
    user = request.user
    roles = case_roles(user, application)
    private = can_see_private_details(user, application)
    actions = allowed_actions(application.status, roles)
    advice = getattr(application, "advice", None)
    if advice and advice.author_id == user.pk:
        actions = [a for a in actions if a not in ("return_advice", "issue_advice")]
    steps = []
    for action in actions:
        if action in AUTOMATIC or action in IN_ADVICE_SECTION:
            continue
        form, vary = _step_form(action, application, bound)
        label = _("Advies beoordelen") if action == "return_advice" else ACTIONS[action].label
        steps.append((STEP_URL.get(action, action), label, form, vary))
    editing = application.status == "advice_draft" and CaseRole.ADVISER in roles
    measures = list(advice.measures.select_related("measure_type")) if advice else []
    with_labels(measures, "domain", "category", "responsible_party", "status")
    for measure in measures:
        measure.update_form = forms.MeasureUpdateForm(
            prefix=f"m{measure.pk}",
            initial={
                "status": measure.status,
                "actual_cost": measure.actual_cost,
                "completed_on": measure.completed_on,
                "decline_reason": measure.decline_reason,
            },
        )
    return {
        "application": application,
        "roles": roles,
        "private": private,
        "actions": actions,
        "steps": steps,
        "can_claim": CaseRole.INTAKE in roles
        and application.intake_officer_id is None
        and application.status in ("submitted", "intake_planned"),
        "advice": advice,
        "measures": measures,
        "editing": editing,
        "summary_form": _summary_form(advice, bound) if editing else None,
        "measure_form": _bound_or(bound, "measure", forms.AddMeasureForm) if editing else None,
        "tracking": CaseRole.EMPLOYER in roles
        and application.status in ("advice_issued", "measures_in_progress"),
        "scan_findings": list(application.scan_findings.all()) if private else [],
        "timeline": with_dates(
            application.timeline.select_related("actor"), "at", "DATETIME_FORMAT"
        ),
        "issued": application.status in ISSUED,
        "handoff": getattr(application, "handoff", None),
        "can_see_referral": can_see_referral(user, application),
        **_documents_and_thread(user, application),
    }


def _step_form(action, application, bound):
    """The form of a step (None if it has none) and what else than the step and the language
    its empty HTML depends on (``vary``: the page keeps that HTML per process,
    weerbaar/includes/form_fields.html); the submitted form instead when it was refused."""
    if action not in STEP_FORMS:
        return None, ""
    if bound and bound[0] == action:
        return bound[1], ""
    if action == "hold_intake":
        initial = {"urgency_class": application.urgency_class}
        form = forms.HoldIntakeForm(auto_id=f"{action}-%s", initial=initial)
        return form, application.urgency_class
    form = STEP_FORMS[action](auto_id=f"{action}-%s")
    if action == "plan_intake":
        # The advisers, read once as fixed choices, are the part of the HTML that changes.
        return form, form.fix_adviser_choices()
    return form, ""


DOCUMENT_LIST_FIELDS = ("application", "kind", "uploaded_by", "created_at", "filename", "size")


def _documents_and_thread(user, application):
    # Only the columns the list shows (never the file itself); the rule per document asks
    # nothing of the database (the user's memberships and the advice are read already).
    documents = [
        d
        for d in application.documents.select_related("uploaded_by").only(*DOCUMENT_LIST_FIELDS)
        if can_see_document(user, application, d)
    ]
    with_dates(with_labels(documents, "kind"), "created_at", "j F Y")
    kinds = upload_kinds(user, application)
    context = {
        "documents": documents,
        "document_form": forms.DocumentForm(kinds=kinds, auto_id="document-%s") if kinds else None,
        "document_kinds": [kind for kind, _label in kinds],
        "in_thread": in_thread(user, application),
    }
    if context["in_thread"]:
        # The messages with their authors and whether each is new, in one query.
        thread = with_dates(
            services.thread_with_read_state(application, user), "created_at", "j F Y H:i"
        )
        context.update(
            thread=thread,
            unread_count=sum(message.is_new for message in thread),
            message_form=forms.MessageForm(auto_id="message-%s"),
            can_message=application.status not in FINISHED_ELSEWHERE,
        )
    return context


def _bound_or(bound, key, form_class, **kwargs):
    """The submitted form when it was refused (errors and input kept), else a fresh one."""
    if bound and bound[0] == key:
        return bound[1]
    return form_class(auto_id=f"{key}-%s", **kwargs)


def _summary_form(advice, bound):
    return _bound_or(bound, "summary", forms.SummaryForm, initial={"summary": advice.summary})


@login_required
def detail(request, pk):
    application = load_case(request, pk)
    audit.record_view(request, application, organisation=application.organisation)
    context = case_context(request, application)
    if context["in_thread"] and context["unread_count"]:
        # What was new is shown as new this once; the next visit it is read. With nothing
        # new the marker stays: whatever is newer than it was not on this page.
        services.mark_thread_read(application, request.user)
    return render(request, "veiligwonen/detail.html", context)


def _pdf_response(request, application, *, for_employer):
    if application.status not in ISSUED:
        raise Http404
    content = pdf.advice_pdf(application, for_employer=for_employer)
    audit.record(
        AuditAction.DOWNLOAD,
        request=request,
        obj=application,
        organisation=application.organisation,
        document="employer" if for_employer else "applicant",
    )
    suffix = "werkgever" if for_employer else "aanvrager"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="advies-{application.reference}-{suffix}.pdf"'
    )
    return response


@login_required
def pdf_applicant(request, pk):
    """The full advice, with the home situation: only for those who may see it."""
    application = load_case(request, pk)
    if not can_see_private_details(request.user, application):
        raise Http404
    return _pdf_response(request, application, for_employer=False)


@login_required
def pdf_employer(request, pk):
    """The employer's copy: measures and costs, no home address or household."""
    application = load_case(request, pk)
    return _pdf_response(request, application, for_employer=True)


@login_required
def referral_pdf(request, pk):
    """The referral document of a hand-off: BZK's intake only (it carries the home address
    and phone); the applicant, the employer and the adviser get a 404 like a wrong id."""
    application = load_case(request, pk)
    if not can_see_referral(request.user, application):
        raise Http404
    content = pdf.referral_pdf(application)
    audit.record(
        AuditAction.DOWNLOAD,
        request=request,
        obj=application,
        organisation=application.organisation,
        document="referral",
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="overdracht-{application.reference}.pdf"'
    )
    return response
