from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weerbaar import audit
from weerbaar.access import get_visible_or_404
from weerbaar.audit import record_view
from weerbaar.constants import AuditAction
from weerbaar.labels import with_labels, with_links
from weerbaar.search_box import ListSearch

from .. import pdf, services
from ..access import is_coordinator
from ..errors import Refused
from ..filters import TrajectFilter
from ..forms import (
    AgreementForm,
    ContactForm,
    TrajectTransitionForm,
    VoorgesprekPlanForm,
    VoorgesprekRecordForm,
)
from ..models import FollowUpAgreement, Traject, Voorgesprek
from ..search import KIND as SEARCH_KIND
from ..workflow import next_traject_steps
from .common import coordinator_required, refused


@login_required
def traject_list(request):
    search = ListSearch(request, SEARCH_KIND)
    if request.method == "POST" and (response := search.post()):
        return response
    qs = Traject.objects.visible_to(request.user).select_related(
        "organisation", "organisation__province", "tour"
    )
    filterset = TrajectFilter(request.GET or None, queryset=qs)
    params = request.GET.copy()
    for name in ("zoek", "pagina"):
        params.pop(name, None)
    # Bound by a search or a page alone, every filter is empty: the list is ``qs`` as it is,
    # without cleaning the form and running the filters for nothing.
    listed = filterset.qs if params else qs
    page = search.paginate(search.filter(listed), 50, request.GET.get("pagina"))
    search.record(page.paginator.count)
    # The status label and the link per row made once per list (weerbaar/labels.py).
    page.object_list = with_links(with_labels(page.object_list, "status"), "otwb:traject_detail")
    context = {
        "filter": filterset,
        "filter_key": filterset.form_key(params.urlencode()),
        "page": page,
        "search": search,
    }
    return render(request, "otwb/traject_list.html", context)


@login_required
def traject_detail(request, pk):
    traject = get_visible_or_404(
        request,
        Traject.objects.select_related("organisation", "tour"),
        pk=pk,
    )
    record_view(request, traject, organisation=traject.organisation)
    coordinator = is_coordinator(request.user)
    context = {
        "traject": traject,
        "events": traject.events.select_related("actor"),
        "voorgesprekken": traject.voorgesprekken.all(),
        "agreements": traject.agreements.all(),
        "sessions": traject.organisation.otwb_sessions.filter(tour=traject.tour),
        "coordinator": coordinator,
        "agreement_form": AgreementForm(),
    }
    if coordinator:
        context["transition_form"] = TrajectTransitionForm(steps=next_traject_steps(traject))
        context["plan_form"] = VoorgesprekPlanForm()
        context["contact_form"] = ContactForm()
        context["record_form"] = VoorgesprekRecordForm()
    return render(request, "otwb/traject_detail.html", context)


@coordinator_required
@require_POST
def traject_transition(request, pk):
    traject = get_visible_or_404(request, Traject, pk=pk)
    form = TrajectTransitionForm(request.POST, steps=next_traject_steps(traject))
    if form.is_valid():
        try:
            services.transition_traject(
                traject,
                form.cleaned_data["to"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
                channel=form.cleaned_data["channel"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("De status is bijgewerkt."))
        except Refused as exc:
            refused(request, exc)
    else:
        messages.error(request, _("Kies een geldige nieuwe status."))
    return redirect("otwb:traject_detail", pk=traject.pk)


@coordinator_required
@require_POST
def traject_contact(request, pk):
    traject = get_visible_or_404(request, Traject, pk=pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        services.log_contact(traject, note=form.cleaned_data["note"], actor=request.user)
        messages.success(request, _("Het contact is vastgelegd."))
    else:
        messages.error(request, _("Schrijf kort op wat er is besproken."))
    return redirect("otwb:traject_detail", pk=traject.pk)


@coordinator_required
def invitation_letter(request, pk):
    """The letter to print or attach before logging the traject as invited."""
    traject = get_visible_or_404(
        request, Traject.objects.select_related("organisation", "tour"), pk=pk
    )
    audit.record(
        AuditAction.DOWNLOAD, request=request, obj=traject, organisation=traject.organisation
    )
    response = HttpResponse(
        pdf.invitation_letter(traject, sender=request.user), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="uitnodiging-{traject.organisation.code}.pdf"'
    )
    return response


@coordinator_required
@require_POST
def voorgesprek_plan(request, pk):
    traject = get_visible_or_404(request, Traject, pk=pk)
    form = VoorgesprekPlanForm(request.POST)
    if form.is_valid():
        try:
            services.plan_voorgesprek(
                traject, planned_at=form.cleaned_data["planned_at"], actor=request.user
            )
            messages.success(request, _("Het voorgesprek is gepland."))
        except Refused as exc:
            refused(request, exc)
    else:
        messages.error(request, _("Vul een geldige datum en tijd in."))
    return redirect("otwb:traject_detail", pk=traject.pk)


@coordinator_required
@require_POST
def voorgesprek_record(request, pk):
    voorgesprek = get_visible_or_404(request, Voorgesprek, pk=pk)
    form = VoorgesprekRecordForm(request.POST)
    if form.is_valid():
        try:
            services.record_voorgesprek(voorgesprek, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Het voorgesprek en de behoeften zijn vastgelegd."))
        except Refused as exc:
            refused(request, exc)
    else:
        messages.error(request, _("Vul een geldige datum en tijd in."))
    return redirect("otwb:traject_detail", pk=voorgesprek.traject_id)


@login_required
@require_POST
def agreement_add(request, pk):
    """The coordinator and the organisation's own griffier both record agreements."""
    traject = get_visible_or_404(request, Traject, pk=pk)
    form = AgreementForm(request.POST)
    if form.is_valid():
        try:
            services.add_agreement(traject, actor=request.user, **form.cleaned_data)
            messages.success(request, _("De vervolgafspraak is toegevoegd."))
        except Refused as exc:
            refused(request, exc)
    else:
        messages.error(request, _("Vul afspraak, eigenaar en datum in."))
    return redirect("otwb:traject_detail", pk=traject.pk)


@login_required
@require_POST
def agreement_done(request, pk):
    agreement = get_visible_or_404(request, FollowUpAgreement, pk=pk)
    services.complete_agreement(agreement, actor=request.user)
    messages.success(request, _("De vervolgafspraak is afgerond."))
    return redirect("otwb:traject_detail", pk=agreement.traject_id)
