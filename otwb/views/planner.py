from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weerbaar.access import get_visible_or_404
from weerbaar.labels import with_labels

from .. import services
from ..errors import Refused
from ..forms import AssignForm
from ..models import Assignment, Session
from ..planner import PLANNER_ROWS, propose_trainers
from .common import coordinator_required, refused


@coordinator_required
def planner(request, pk):
    session = get_visible_or_404(request, Session, pk=pk)
    if request.method == "POST":
        form = AssignForm(request.POST)
        if form.is_valid():
            try:
                services.assign_trainer(session, form.cleaned_data["trainer"], actor=request.user)
                messages.success(request, _("De trainer is toegewezen."))
            except Refused as exc:
                refused(request, exc)
        return redirect("otwb:planner", pk=session.pk)
    # The best fitting trainers; the whole pool on request. One row more than is shown
    # tells whether there are more, without counting the pool.
    everyone = "alle" in request.GET
    proposals = propose_trainers(
        session.starts_at,
        session.ends_at,
        session=session,
        limit=None if everyone else PLANNER_ROWS + 1,
    )
    more = not everyone and len(proposals) > PLANNER_ROWS
    proposals = proposals[:PLANNER_ROWS] if more else proposals
    assignments = list(session.assignments.filter(active=True).select_related("trainer"))
    # The trainers' kind and origin labels, looked up once for the whole pool.
    with_labels([p.trainer for p in proposals], "kind", "origin")
    with_labels([a.trainer for a in assignments], "kind")
    return render(
        request,
        "otwb/planner.html",
        {"session": session, "proposals": proposals, "assignments": assignments, "more": more},
    )


@coordinator_required
@require_POST
def assignment_remove(request, pk):
    assignment = get_object_or_404(Assignment, pk=pk)
    services.unassign_trainer(assignment, actor=request.user)
    messages.success(request, _("De trainer is van de sessie gehaald."))
    return redirect("otwb:planner", pk=assignment.session_id)
