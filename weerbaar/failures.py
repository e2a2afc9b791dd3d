"""The functioneel beheerder's page of open sweep failures: which sweep could not act on
which record, since when, and when it tries again; "Markeer als opgelost" closes one (the
sweep then tries the case at its next run, and a new failure would alert again).

Anyone else gets a 404, as for any record outside one's scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import audit
from .constants import AuditAction, Role
from .models import SweepFailure

__all__ = ["failure_list", "failure_resolve"]


def _require_beheerder(user):
    if not user.has_role(Role.FUNCTIONEEL_BEHEERDER):
        raise Http404


@login_required
def failure_list(request):
    _require_beheerder(request.user)
    page = Paginator(SweepFailure.objects.open().order_by("-last_failed_at", "-pk"), 50).get_page(
        request.GET.get("pagina")
    )
    return render(request, "weerbaar/sweep_failures.html", {"page": page})


@login_required
@require_POST
def failure_resolve(request, pk):
    _require_beheerder(request.user)
    with transaction.atomic():
        failure = get_object_or_404(SweepFailure.objects.open().select_for_update(), pk=pk)
        failure.resolved_at = timezone.now()
        failure.resolved_by = request.user
        failure.save(update_fields=["resolved_at", "resolved_by"])
        audit.record(
            AuditAction.UPDATE,
            request=request,
            obj=failure,
            change="resolved",
            sweep=failure.sweep,
            object_type=failure.object_type,
            object_id=failure.object_id,
        )
    messages.success(
        request,
        _(
            "De storing is als opgelost gemarkeerd. De taak probeert het bij de volgende "
            "run opnieuw."
        ),
    )
    return redirect("sweep_failures")
