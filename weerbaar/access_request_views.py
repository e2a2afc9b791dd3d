"""The public page to ask for an account, and the griffier's screens to decide on it.

The public page answers the same whatever is asked for (an address with an account, one
asked for before, one unknown): the request is handled (``weerbaar.access_requests``) and
the browser goes to the same "received" page. Too many requests from one address of the
sender get a Dutch error and keep what was typed; too many for one email address, or the
hidden field filled in by a program, still see "received" and nothing is done."""

import structlog
from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from redis.exceptions import RedisError

from . import access_requests
from .access import get_visible_or_404
from .access_request_forms import AccessDecisionForm, AccessRequestForm
from .constants import RequestDecision, Role
from .membership_rules import RULES
from .models import AccessRequest

__all__ = ["access_request_detail", "access_request_list", "request_access", "request_sent"]

log = structlog.get_logger(__name__)


def _within(request, action, key=None):
    """Without the cache the page goes on: the database fallback of the cache normally
    answers, and a request is only a question to the griffier."""
    try:
        return ratelimit.consume(request, action=action, key=key)
    except (RedisError, OSError):
        log.warning("ratelimit.unavailable", action=action)
        return True


def request_access(request):
    form = AccessRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not _within(request, "access_request"):
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Er zijn vanaf uw internetadres te veel aanvragen gedaan. Wat u invulde "
                    "staat er nog; probeer het over een uur opnieuw."
                ),
            )
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            if form.is_automated:
                log.info("access_request.honeypot")
            elif _within(request, "access_request_email", key=data["email"].lower()):
                access_requests.file_request(
                    name=data["name"],
                    email=data["email"],
                    organisation=data["organisation"],
                    role=data["role"],
                    position=data["position"],
                    message=data["message"],
                    http_request=request,
                )
            return redirect("request_access_sent")
    return render(request, "weerbaar/access_request.html", {"form": form}, status=status)


@require_GET
def request_sent(request):
    return render(request, "weerbaar/access_request_sent.html")


def _may_decide_any(user):
    """Holds a role that may ask for a reporter role somewhere (griffier, secretaris,
    functioneel beheerder)."""
    held = {m.role for m in user.active_memberships}
    return any(
        role in held
        for requested in access_requests.REQUESTABLE_ROLES
        for role, _scope in RULES[requested].requesters
    )


@login_required
def access_request_list(request):
    if not _may_decide_any(request.user):
        raise PermissionDenied
    visible = AccessRequest.objects.visible_to(request.user).select_related(
        "organisation", "decided_by"
    )
    context = {
        "pending": visible.filter(decision=RequestDecision.PENDING)[:200],
        "decided": visible.exclude(decision=RequestDecision.PENDING).order_by("-decided_at")[:50],
    }
    return render(request, "weerbaar/access_requests.html", context)


@login_required
def access_request_detail(request, pk):
    queryset = AccessRequest.objects.select_related("organisation", "decided_by", "invitation")
    access_request = get_visible_or_404(request, queryset, pk=pk)
    form = AccessDecisionForm(request.POST or None, access_request=access_request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "approve":
                access_requests.approve(
                    decider=request.user,
                    access_request=access_request,
                    valid_until=data.get("valid_until"),
                    http_request=request,
                )
                messages.success(
                    request,
                    _("De aanvraag is goedgekeurd. %(name)s krijgt een uitnodiging per e-mail.")
                    % {"name": access_request.name},
                )
            else:
                access_requests.refuse(
                    decider=request.user,
                    access_request=access_request,
                    reason=data["reason"],
                    http_request=request,
                )
                messages.success(request, _("De aanvraag is geweigerd."))
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("U mag over deze aanvraag niet besluiten."))
        else:
            return redirect("access_request_list")
    context = {
        "access_request": access_request,
        "form": form,
        "is_candidate": access_request.role == Role.CANDIDATE,
    }
    return render(request, "weerbaar/access_request_detail.html", context)
