"""From the case page: tick off an organisation's own step, and make a letter (PDF or
.docx) for the case. Both only for the case's triagers; anyone else gets a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weerbaar.access import get_visible_or_404

from .. import services
from ..forms_local import LetterRequestForm
from ..letters import LetterRefused
from ..models import Melding
from ..services.letters import generate_letter
from ..services.local_steps import check_case_step
from .case import _with_triageable, case_redirect, triage_action


@triage_action(section="stappenplan")
def case_step(request, melding, form, step_pk):
    check_case_step(
        melding, step_pk, actor=request.user, done=request.POST.get("done") == "on", request=request
    )


@login_required
@require_POST
def letter(request, pk):
    melding = get_visible_or_404(
        request,
        _with_triageable(
            Melding.objects.select_related("route_organisation", "reporter"), request.user
        ),
        pk=pk,
    )
    if not melding.triageable or request.user.pk == melding.reporter_id:
        raise Http404
    form = LetterRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een brief en een formaat."), extra_tags="brieven")
        return case_redirect(melding.pk, "brieven")
    data = form.cleaned_data
    try:
        content, content_type, filename = generate_letter(
            melding,
            kind=data["kind"],
            fmt=data["format"],
            actor=request.user,
            perpetrator_name=data["perpetrator_name"],
            perpetrator_address=data["perpetrator_address"],
            request=request,
        )
    except LetterRefused as refusal:
        messages.error(request, str(refusal), extra_tags="brieven")
        return case_redirect(melding.pk, "brieven")
    except services.NotAllowed as denied:
        raise Http404 from denied
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
