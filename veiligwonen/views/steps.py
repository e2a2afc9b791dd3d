"""POST endpoints for the workflow steps: validate the form, call the service, report.
A step the user may not take (wrong state, wrong role, lost a race) comes back as a
Dutch message on the case page; nothing here changes a status itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import forms, services
from ..models import Measure
from ..workflow import TransitionNotAllowed
from .case import case_context, load_case


def _review(app, user, data, request):
    if data["decision"] == "approve":
        return services.issue_advice(app, actor=user, request=request)
    return services.return_advice(app, actor=user, remarks=data["remarks"], request=request)


def _add_measure(app, user, data, request):
    return services.add_measure(
        app,
        actor=user,
        measure_type=data["measure_type"],
        notes=data["notes"],
        estimated_cost=data["estimated_cost"],
    )


# step name → (form, context key of the form, call)
STEPS = {
    "claim": (None, None, lambda a, u, d, r: services.claim(a, actor=u, request=r)),
    "plan_intake": (
        forms.PlanIntakeForm,
        "plan_intake",
        lambda a, u, d, r: services.plan_intake(
            a, actor=u, adviser=d["adviser"], when=d["when"], request=r
        ),
    ),
    "hold_intake": (
        forms.HoldIntakeForm,
        "hold_intake",
        lambda a, u, d, r: services.hold_intake(
            a, actor=u, findings=d["findings"], urgency_class=d["urgency_class"], request=r
        ),
    ),
    "hand_off": (
        forms.HandOffForm,
        "hand_off",
        lambda a, u, d, r: services.hand_off(a, actor=u, request=r, **d),
    ),
    "confirm_handoff": (
        forms.HandoffReceiptForm,
        "confirm_handoff",
        lambda a, u, d, r: services.record_handoff_receipt(a, actor=u, request=r, **d),
    ),
    "cancel_handoff": (
        forms.CancelHandoffForm,
        "cancel_handoff",
        lambda a, u, d, r: services.cancel_handoff(a, actor=u, request=r, **d),
    ),
    "not_eligible": (
        forms.NotEligibleForm,
        "not_eligible",
        lambda a, u, d, r: services.mark_not_eligible(a, actor=u, reason=d["reason"], request=r),
    ),
    "plan_scan": (
        forms.PlanScanForm,
        "plan_scan",
        lambda a, u, d, r: services.plan_scan(a, actor=u, when=d["when"], request=r),
    ),
    "record_scan": (
        forms.ScanForm,
        "record_scan",
        lambda a, u, d, r: services.record_scan(a, actor=u, findings_by_domain=d, request=r),
    ),
    "start_advice": (None, None, lambda a, u, d, r: services.start_advice(a, actor=u, request=r)),
    "save_summary": (
        forms.SummaryForm,
        "summary",
        lambda a, u, d, r: services.save_summary(a, actor=u, summary=d["summary"]),
    ),
    "add_measure": (forms.AddMeasureForm, "measure", _add_measure),
    "submit_for_review": (
        forms.SummaryForm,
        "summary",
        lambda a, u, d, r: services.submit_for_review(a, actor=u, summary=d["summary"], request=r),
    ),
    "review": (forms.ReviewForm, "return_advice", _review),
    "resume_draft": (None, None, lambda a, u, d, r: services.resume_draft(a, actor=u, request=r)),
    "withdraw": (None, None, lambda a, u, d, r: services.withdraw(a, actor=u, request=r)),
}


@login_required
@require_POST
def step(request, pk, action):
    application = load_case(request, pk)
    if action == "remove_measure":
        return _remove_measure(request, application)
    if action not in STEPS:
        raise Http404
    form_class, form_key, call = STEPS[action]
    data, form = {}, None
    if form_class is not None:
        form = form_class(request.POST, auto_id=f"{form_key or action}-%s")
        if not form.is_valid():
            return _refused(request, application, form_key, form)
        data = form.cleaned_data
    try:
        call(application, request.user, data, request)
    except TransitionNotAllowed as exc:
        if form is not None and form_key:
            # Shown beside what the user typed, which stays in the form.
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            return _refused(request, application, form_key, form)
        messages.error(request, str(exc))
    else:
        messages.success(request, forms.STEP_DONE)
    return redirect(application)


def _refused(request, application, form_key, form):
    """The case page again with the submitted form, its errors and everything typed."""
    messages.error(request, forms.FORM_ERROR)
    bound = (form_key, form) if form_key else None
    context = case_context(request, application, bound=bound)
    return render(request, "veiligwonen/detail.html", context, status=400)


def _remove_measure(request, application):
    try:
        services.remove_measure(
            application, actor=request.user, measure_id=int(request.POST.get("measure", 0))
        )
    except (TransitionNotAllowed, ValueError) as exc:
        messages.error(request, str(exc))
    return redirect(application)


@login_required
@require_POST
def measure_update(request, pk, measure_id):
    application = load_case(request, pk)
    measure = get_object_or_404(Measure, pk=measure_id, advice__application=application)
    form = forms.MeasureUpdateForm(request.POST, prefix=f"m{measure.pk}")
    if form.is_valid():
        try:
            services.update_measure(
                measure, actor=request.user, request=request, **form.cleaned_data
            )
        except TransitionNotAllowed as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, forms.STEP_DONE)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{measure.measure_type}: {error}")
    return redirect(application)
