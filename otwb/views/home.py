from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from ..access import is_coordinator
from ..constants import SessionKind, SessionStatus
from ..models import Session, Traject


@login_required
def home(request):
    """The tour's start page: what this person can do here, given their role."""
    user = request.user
    upcoming = (
        Session.objects.visible_to(user)
        .filter(starts_at__gte=timezone.now())
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("starts_at")[:10]
    )
    trajecten = Traject.objects.visible_to(user).select_related("organisation", "tour")[:20]
    return render(
        request,
        "otwb/home.html",
        {
            "coordinator": is_coordinator(user),
            "is_trainer": hasattr(user, "otwb_trainer"),
            "upcoming": upcoming,
            "trajecten": trajecten,
            "driehoek": SessionKind.DRIEHOEK,
        },
    )
