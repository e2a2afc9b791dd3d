"""The organisation's own protocol pages: the steps it adds to the stappenplan and its
letter templates. Only its griffier and secretaris and the functioneel beheerder; anyone
else gets a 404 (and the attempt is audited), as for a case outside one's scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weerbaar import audit
from weerbaar.constants import AuditAction, OrganisationKind, Role
from weerbaar.models import Organisation

from ..constants import LetterKind
from ..forms_local import LetterTemplateForm, LocalStepForm
from ..letters import ALLOWED, PLACEHOLDERS, template_for
from ..models import LetterTemplate, LocalStep
from ..services.letters import reset_letter_template, save_letter_template
from ..services.local_steps import KEEPERS, can_keep_protocol, save_local_step


def _organisation(request, org_pk):
    organisation = get_object_or_404(
        Organisation.objects.exclude(kind=OrganisationKind.NATIONAL), pk=org_pk
    )
    if not can_keep_protocol(request.user, organisation):
        audit.record(AuditAction.ACCESS_DENIED, request=request, obj=organisation)
        raise Http404
    return organisation


@login_required
def index(request):
    """The organisations the user keeps: straight to the only one, else a choice."""
    user = request.user
    if user.has_role(Role.FUNCTIONEEL_BEHEERDER):
        organisations = Organisation.objects.exclude(kind=OrganisationKind.NATIONAL).filter(
            is_active=True
        )
    else:
        organisations = Organisation.objects.filter(pk__in=user.organisations_with_role(*KEEPERS))
    organisations = list(organisations.only("pk", "kind", "name"))
    if not organisations:
        raise Http404
    if len(organisations) == 1:
        return redirect("incidents:local_steps", organisations[0].pk)
    return render(request, "incidents/protocol_index.html", {"organisations": organisations})


@login_required
def steps(request, org_pk):
    organisation = _organisation(request, org_pk)
    form = LocalStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        save_local_step(
            organisation=organisation, actor=request.user, data=form.cleaned_data, request=request
        )
        messages.success(request, _("De stap is toegevoegd. Nieuwe meldingen krijgen haar."))
        return redirect("incidents:local_steps", organisation.pk)
    context = {
        "organisation": organisation,
        "local_steps": LocalStep.objects.filter(organisation=organisation),
        "form": form,
    }
    return render(
        request, "incidents/local_steps.html", context, status=400 if form.errors else 200
    )


@login_required
def edit_step(request, org_pk, step_pk):
    organisation = _organisation(request, org_pk)
    step = get_object_or_404(LocalStep, organisation=organisation, pk=step_pk)
    form = LocalStepForm(request.POST or None, instance=step)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        step.refresh_from_db()  # the ModelForm set the fields already; compare with the stored
        save_local_step(
            organisation=organisation, actor=request.user, data=data, step=step, request=request
        )
        messages.success(request, _("De stap is opgeslagen. Lopende meldingen houden hun stappen."))
        return redirect("incidents:local_steps", organisation.pk)
    context = {"organisation": organisation, "step": step, "form": form}
    return render(
        request, "incidents/local_step_edit.html", context, status=400 if form.errors else 200
    )


@login_required
def letters(request, org_pk):
    organisation = _organisation(request, org_pk)
    own = set(
        LetterTemplate.objects.filter(organisation=organisation).values_list("kind", flat=True)
    )
    kinds = [(kind, kind in own) for kind in LetterKind]
    return render(
        request, "incidents/letter_templates.html", {"organisation": organisation, "kinds": kinds}
    )


def _kind(value):
    if value not in LetterKind.values:
        raise Http404
    return LetterKind(value)


@login_required
def edit_letter(request, org_pk, kind):
    organisation = _organisation(request, org_pk)
    kind = _kind(kind)
    current = template_for(organisation, kind)
    form = LetterTemplateForm(
        request.POST or None,
        kind=kind,
        initial={"subject": current.subject, "body": current.body},
    )
    if request.method == "POST" and form.is_valid():
        save_letter_template(
            organisation=organisation,
            kind=kind,
            actor=request.user,
            request=request,
            **form.cleaned_data,
        )
        messages.success(request, _("Het briefsjabloon is opgeslagen."))
        return redirect("incidents:letter_templates", organisation.pk)
    context = {
        "organisation": organisation,
        "kind": kind,
        "form": form,
        "own": current.organisation_id == organisation.pk,
        "placeholders": [
            (name, PLACEHOLDERS[name]) for name in PLACEHOLDERS if name in ALLOWED[kind]
        ],
    }
    return render(
        request, "incidents/letter_template_edit.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def reset_letter(request, org_pk, kind):
    organisation = _organisation(request, org_pk)
    kind = _kind(kind)
    reset_letter_template(organisation=organisation, kind=kind, actor=request.user, request=request)
    messages.success(request, _("De brief gebruikt weer de landelijke standaardtekst."))
    return redirect("incidents:letter_templates", organisation.pk)
