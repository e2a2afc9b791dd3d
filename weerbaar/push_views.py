"""The Web Push settings page, its subscribe/unsubscribe endpoints and the service worker.

The service worker is served from the site root (not /static/) so that its scope is the
whole portal; it is a static file without inline script, like every script here."""

import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .models import PushSubscription
from .push import endpoint_allowed, push_enabled, valid_keys
from .push_subscriptions import may_subscribe, subscribe, unsubscribe

SERVICE_WORKER = "js/push-sw.js"
MAX_BODY = 4096


@lru_cache(maxsize=1)
def _service_worker_source():
    return Path(finders.find(SERVICE_WORKER)).read_bytes()


@require_GET
def service_worker(request):
    return HttpResponse(_service_worker_source(), content_type="text/javascript; charset=utf-8")


@login_required
@require_GET
def push_settings(request):
    return render(
        request,
        "weerbaar/push.html",
        {
            "subscriptions": PushSubscription.objects.filter(user=request.user),
            "may_subscribe": may_subscribe(request.user),
            "push_enabled": push_enabled(),
            "vapid_public_key": settings.VAPID_PUBLIC_KEY,
        },
    )


def _error(message, status=400):
    return JsonResponse({"error": message}, status=status)


def _read(request):
    """The browser's PushSubscription.toJSON(): endpoint and keys, or None."""
    if len(request.body) > MAX_BODY:
        return None
    try:
        data = json.loads(request.body)
        endpoint, keys = data["endpoint"], data["keys"]
        p256dh, auth = keys["p256dh"], keys["auth"]
    except (ValueError, KeyError, TypeError):
        return None
    if not all(isinstance(v, str) for v in (endpoint, p256dh, auth)):
        return None
    return endpoint, p256dh, auth


@login_required
@require_POST
def push_subscribe(request):
    if not push_enabled():
        return _error(_("Pushberichten zijn op dit portaal niet ingeschakeld."), status=404)
    if not may_subscribe(request.user):
        return _error(_("Pushberichten zijn er alleen voor wie meldingen behandelt."), status=403)
    read = _read(request)
    if read is None:
        return _error(_("De aanmelding van de browser is onleesbaar."))
    endpoint, p256dh, auth = read
    if len(endpoint) > 1000 or not endpoint_allowed(endpoint):
        return _error(_("Deze pushdienst wordt niet ondersteund."))
    if not valid_keys(p256dh, auth):
        return _error(_("De sleutels van de browser zijn ongeldig."))
    subscribe(
        user=request.user,
        endpoint=endpoint,
        p256dh=p256dh,
        auth=auth,
        user_agent=request.headers.get("User-Agent", ""),
        request=request,
    )
    messages.success(request, _("Dit apparaat ontvangt nu pushberichten."))
    return JsonResponse({"ok": True}, status=201)


@login_required
@require_POST
def push_unsubscribe(request, pk):
    subscription = get_object_or_404(PushSubscription, pk=pk, user=request.user)
    unsubscribe(user=request.user, subscription=subscription, request=request)
    messages.success(request, _("Het apparaat ontvangt geen pushberichten meer."))
    return redirect("push_settings")
