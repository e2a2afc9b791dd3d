from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import invitations
from .backends import auth as auth_backend
from .constants import RequestDecision
from .forms import AcceptInvitationForm
from .health import report as health_report
from .middleware import SESSION_ACTIVE_MEMBERSHIP
from .models import MembershipRequest, Notification
from .navigation import notices_for, panels_for, sections_for, start_panels_for


@login_required
def home(request):
    """The start page of the active role (``request.membership``): the apps' panels of what
    that role does first, then the role's other tasks as cards."""
    waiting = MembershipRequest.objects.filter(
        user=request.user, decision=RequestDecision.PENDING
    ).select_related("organisation")
    membership = request.membership
    return render(
        request,
        "weerbaar/home.html",
        {
            "start_panels": start_panels_for(request.user, membership),
            "sections": sections_for(request.user, membership),
            "notices": notices_for(request.user),
            "panels": panels_for(request.user),
            "waiting_roles": waiting,
        },
    )


@login_required
def inbox(request):
    page = Paginator(
        Notification.objects.filter(recipient=request.user).only(
            "subject", "body", "link", "created_at", "read_at"
        ),
        25,
    ).get_page(request.GET.get("pagina"))
    return render(request, "weerbaar/inbox.html", {"page": page})


@login_required
@require_POST
def inbox_mark_read(request):
    Notification.objects.unread_for(request.user).update(read_at=timezone.now())
    messages.success(request, _("Alle berichten zijn als gelezen gemarkeerd."))
    return redirect("inbox")


@login_required
@require_POST
def switch_role(request):
    try:
        chosen = int(request.POST.get("membership", ""))
    except ValueError:
        return HttpResponseBadRequest()
    if any(m.pk == chosen for m in request.user.active_memberships):
        request.session[SESSION_ACTIVE_MEMBERSHIP] = chosen
    return redirect("home")


def invitation_accept(request, token):
    invitation = invitations.find_invitation(token)
    if invitation is None or not invitation.is_usable:
        reason = (
            _("Deze uitnodiging bestaat niet.")
            if invitation is None
            else _("Deze uitnodiging is al gebruikt.")
            if invitation.accepted_at
            else _("Deze uitnodiging is ingetrokken.")
            if invitation.revoked_at
            else _("Deze uitnodiging is verlopen. Vraag om een nieuwe uitnodiging.")
        )
        return render(request, "weerbaar/invitation_invalid.html", {"reason": reason}, status=410)
    form = AcceptInvitationForm(
        request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.accept_invitation(
                token=token,
                password=form.cleaned_data["password1"],
                full_name=form.cleaned_data["full_name"],
                request=request,
            )
        except ValidationError as exc:
            return render(
                request, "weerbaar/invitation_invalid.html", {"reason": exc.messages[0]}, status=410
            )
        login(request, user, backend=auth_backend.PATH)
        if MembershipRequest.objects.filter(user=user, invitation=invitation).pending().exists():
            messages.success(
                request,
                _(
                    "Welkom! Uw account is klaar. Uw rol gaat in zodra een tweede persoon "
                    "die heeft goedgekeurd."
                ),
            )
        else:
            messages.success(request, _("Welkom! Uw account is klaar."))
        return redirect("home")
    return render(
        request, "weerbaar/invitation_accept.html", {"form": form, "invitation": invitation}
    )


def not_found(request):
    raise Http404


@require_GET
def page(request, template):
    return render(request, template)


@require_GET
def health(request):
    """For the load balancer and the operator (``weerbaar.health`` says what each status
    means). Shows no data."""
    code, body = health_report()
    return JsonResponse(body, status=code)
