"""The local protocol page (issue 19 §2) for the organisation's griffier and secretaris and
the functioneel beheerder; anyone else gets a 404. Changing it takes two steps, as GOV.UK's
"check your answers": the form, then a preview of what each position's reporter will now
see as recipients (the people ``Recipients.resolve`` gives, by name), and only the confirm
step saves."""

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from weerbaar.constants import Role
from weerbaar.models import Organisation

from .. import protocol, routing
from ..models import LocalProtocol
from ..protocol_forms import ProtocolForm
from ..services.protocol import EDITORS, may_edit, save_protocol

__all__ = ["edit", "mine"]


def _preview(organisation, form, choices):
    """Per position: who its reporter will now be shown, and the escalation's next step."""
    recipients = routing.Recipients()
    rows = []
    for position in form.positions:
        key = position["key"]
        membership = SimpleNamespace(
            role=Role.CIVIL_SERVANT if key == protocol.CIVIL_SERVANT else Role.OFFICE_HOLDER,
            position="" if key == protocol.CIVIL_SERVANT else key,
            organisation=organisation,
        )
        decided = routing.decide(membership)
        snap = protocol.snapshot(decided, key, choices.get(key))
        target = routing.Target.for_routing(decided, reporter_id=None, protocol=snap)
        escalation = target._replace(
            steps=routing.chain_for(decided.route, snap).escalate,
            otwb_team=decided.route in routing.OTWB_ROUTES,
        )
        rows.append(
            {
                "label": position["label"],
                "shown": routing.describe(recipients.resolve(target), decided.organisation),
                "escalation": routing.describe(
                    recipients.resolve(escalation), decided.organisation
                ),
            }
        )
    return rows


@login_required
def mine(request):
    """The protocol of the organisation the user is griffier or secretaris of."""
    for m in request.user.active_memberships:
        if m.role in EDITORS:
            return redirect("incidents:protocol_routes", m.organisation_id)
    raise Http404


@login_required
def edit(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    if not may_edit(request.user, organisation):
        raise Http404
    current = LocalProtocol.objects.filter(organisation=organisation).first()
    texts = (current.text_nl, current.text_en) if current else ("", "")
    choices = protocol.choices_of(organisation.pk)
    action = request.POST.get("action", "")
    form = ProtocolForm(
        request.POST if request.method == "POST" else None,
        organisation=organisation,
        choices=choices,
        texts=texts,
    )
    context = {"form": form, "organisation": organisation}
    if request.method == "POST" and action != "change" and form.is_valid():
        new = form.choices()
        if action == "confirm":
            save_protocol(
                organisation=organisation,
                actor=request.user,
                choices=new,
                text_nl=form.cleaned_data["text_nl"],
                text_en=form.cleaned_data["text_en"],
                request=request,
            )
            messages.success(
                request, _("Het protocol is opgeslagen. Het geldt voor nieuwe meldingen.")
            )
            return redirect("incidents:protocol_routes", organisation.pk)
        context["preview"] = _preview(organisation, form, new)
        return render(request, "incidents/protocol_preview.html", context)
    if request.method == "POST" and action == "change":
        form.is_valid()  # shown again with what was entered
    context["current"] = _preview(organisation, form, choices)
    return render(request, "incidents/protocol.html", context)
