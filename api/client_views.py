"""The screen for API clients: the secretaris (or a functioneel beheerder) asks for one, a
second person approves it and sees its secret once; either may revoke it or give it a new
secret. A client outside what the user manages is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from weerbaar.access import get_visible_or_404
from weerbaar.constants import Role
from weerbaar.models import Organisation

from . import services
from .forms import ClientRequestForm
from .models import ApiClient
from .rules import may_approve, may_manage

__all__ = ["client_detail", "client_list"]

RELATED = ("organisation", "requested_by", "decided_by", "revoked_by", "application")


def _requestable(user):
    if user.has_role(Role.FUNCTIONEEL_BEHEERDER):
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(pk__in=user.organisations_with_role(Role.SECRETARIS))


@login_required
@require_http_methods(["GET", "POST"])
def client_list(request):
    user = request.user
    organisations = _requestable(user)
    clients = ApiClient.objects.visible_to(user).select_related(*RELATED)[:200]
    if not organisations.exists() and not clients:
        raise PermissionDenied
    form = ClientRequestForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            client = services.request(requested_by=user, http_request=request, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(
                request,
                _("De koppeling is aangevraagd. Een tweede persoon moet haar goedkeuren."),
            )
            return redirect("api_clients:detail", pk=client.pk)
    return render(
        request,
        "api/clients.html",
        {"clients": clients, "form": form if organisations.exists() else None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def client_detail(request, pk):
    user = request.user
    client = get_visible_or_404(request, ApiClient.objects.select_related(*RELATED), pk=pk)
    secret = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                client, secret = services.approve(
                    approver=user, client=client, http_request=request
                )
            elif action == "refuse":
                client = services.refuse(approver=user, client=client, http_request=request)
                messages.success(request, _("De koppeling is geweigerd."))
            elif action == "revoke":
                client = services.revoke(actor=user, client=client, http_request=request)
                messages.success(request, _("De koppeling is ingetrokken."))
            elif action == "secret":
                secret = services.new_secret(actor=user, client=client, http_request=request)
            else:
                return redirect("api_clients:detail", pk=client.pk)
        except PermissionDenied:
            return render(request, "403.html", status=403)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("api_clients:detail", pk=client.pk)
        if secret is None:
            return redirect("api_clients:detail", pk=client.pk)
        client = ApiClient.objects.select_related(*RELATED).get(pk=client.pk)
    # The secret is in this one response only (never stored in plain text, never in a
    # URL or the session); NoStoreMiddleware keeps it out of the browser's cache.
    return render(
        request,
        "api/client.html",
        {
            "client": client,
            "secret": secret,
            "can_decide": client.status == "pending" and may_approve(user, client),
            "can_manage": may_manage(user, client),
        },
    )
