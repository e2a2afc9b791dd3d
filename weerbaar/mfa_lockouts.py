"""The functioneel beheerder's page of accounts whose code entry is locked
(``weerbaar.mfa_throttle``), and lifting a lock after speaking to the person.

Anyone else gets a 404, as for any record outside one's scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import mfa_throttle
from .constants import Role
from .models import SecondFactorThrottle, User

__all__ = ["lockout_list", "lockout_unlock"]


def _require_beheerder(user):
    if not user.has_role(Role.FUNCTIONEEL_BEHEERDER):
        raise Http404


@login_required
def lockout_list(request):
    _require_beheerder(request.user)
    rows = (
        SecondFactorThrottle.objects.filter(locked_until__gt=timezone.now())
        .select_related("user")
        .order_by("locked_until")
    )
    return render(request, "weerbaar/mfa_lockouts.html", {"rows": rows})


@login_required
@require_POST
def lockout_unlock(request, user_pk):
    _require_beheerder(request.user)
    person = get_object_or_404(User, pk=user_pk)
    if person.pk == request.user.pk:
        messages.error(request, _("Een blokkade van uw eigen account heft een collega op."))
    elif mfa_throttle.unlock(person, actor=request.user, request=request):
        messages.success(request, _("De blokkade is opgeheven; de persoon heeft bericht."))
    else:
        messages.info(request, _("Dit account was niet (meer) geblokkeerd."))
    return redirect("mfa_lockouts")
