"""The webhooks of one API client, on its /koppelingen/ page: subscribe a URL (its secret
is shown once), give it a new secret, remove it, and send a given-up message again. Only
for whoever manages the client; a client, subscription or message outside that is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from api.models import ApiClient
from weerbaar.access import get_visible_or_404

from . import services
from .constants import DeliveryStatus
from .forms import SubscriptionForm
from .models import Delivery, Subscription

__all__ = ["subscriptions"]

DEAD_SHOWN = 50


def _one(queryset, value):
    try:
        return queryset.get(pk=int(value))
    except (TypeError, ValueError, queryset.model.DoesNotExist):
        raise Http404 from None


def _act(request, client, action):
    """Do ``action`` on one of the client's own subscriptions or messages; returns
    ``(subscription, secret)`` when there is a secret to show once, else ``(None, None)``."""
    user = request.user
    own = Subscription.objects.filter(client=client)
    if action == "secret":
        subscription = _one(own, request.POST.get("subscription"))
        return subscription, services.rotate_secret(
            actor=user, subscription=subscription, http_request=request
        )
    if action == "remove":
        services.remove(
            actor=user,
            subscription=_one(own, request.POST.get("subscription")),
            http_request=request,
        )
        messages.success(request, _("De webhook is verwijderd."))
    elif action == "retry":
        row = _one(
            Delivery.objects.filter(subscription__client=client).select_related("subscription"),
            request.POST.get("delivery"),
        )
        services.retry(actor=user, delivery=row, http_request=request)
        messages.success(request, _("Het bericht wordt opnieuw verstuurd."))
    return None, None


@login_required
@require_http_methods(["GET", "POST"])
def subscriptions(request, client_pk):
    client = get_visible_or_404(
        request, ApiClient.objects.select_related("organisation"), pk=client_pk
    )
    action = request.POST.get("action")
    form = SubscriptionForm(request.POST if action == "subscribe" else None)
    shown = secret = None
    if request.method == "POST":
        try:
            if action == "subscribe":
                if form.is_valid():
                    shown, secret = services.subscribe(
                        actor=request.user,
                        client=client,
                        http_request=request,
                        **form.cleaned_data,
                    )
            else:
                shown, secret = _act(request, client, action)
        except PermissionDenied:
            return render(request, "403.html", status=403)
        except ValidationError as exc:
            if action != "subscribe":
                messages.error(request, exc.messages[0])
                return redirect("webhooks:list", client_pk=client.pk)
            form.add_error("url" if exc.code == "url" else None, exc.messages[0])
        if secret is None and not form.errors:
            return redirect("webhooks:list", client_pk=client.pk)
        if secret is not None:
            form = SubscriptionForm()
    dead = Delivery.objects.filter(status=DeliveryStatus.DEAD).order_by("-dead_at", "-pk")
    # Never sent because the client was revoked first (``services.cancel_undelivered``).
    cancelled = Delivery.objects.filter(status=DeliveryStatus.CANCELLED).order_by(
        "-cancelled_at", "-pk"
    )
    rows = Subscription.objects.filter(client=client).prefetch_related(
        Prefetch("deliveries", queryset=dead[:DEAD_SHOWN], to_attr="dead"),
        Prefetch("deliveries", queryset=cancelled[:DEAD_SHOWN], to_attr="cancelled"),
    )
    # The secret is in this one response only; NoStoreMiddleware keeps it out of caches.
    return render(
        request,
        "webhooks/subscriptions.html",
        {
            "client": client,
            "subscriptions": rows,
            "form": form if client.is_active else None,
            "shown": shown,
            "secret": secret,
        },
    )
