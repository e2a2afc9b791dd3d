"""The OTWB part of the start page (``weerbaar.navigation.start_panels_for``) for the
coordinator: this week's sessions, upcoming sessions still short of vertrouwenspersonen,
and trajecten whose voorgesprek was held without a session planned since. Four queries:
the three totals counted up to a cap in one, then the first rows of each list."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from weerbaar.constants import Role
from weerbaar.counting import capped_counts
from weerbaar.navigation import Panel

from .constants import SessionStatus, TrainerKind, TrajectStatus
from .models import Assignment, Session, Traject

__all__ = ["ROWS", "panels", "week_bounds"]

ROWS = 5
OPEN = (SessionStatus.PLANNED, SessionStatus.CONFIRMED)


def week_bounds(now):
    """Monday 00:00 of this week and of the next, in the portal's time zone."""
    today = timezone.localdate(now)
    monday = today - timedelta(days=today.weekday())
    start = timezone.make_aware(datetime.combine(monday, time.min))
    return start, start + timedelta(days=7)


@dataclass
class Listing:
    rows: list
    total: int
    url: str


# The coordinator's counts stop here ("meer dan 100"): a list longer than that is a matter
# for the lists themselves, and each counted session costs a look at its assignments.
CAP = 100


def _listings(**lists):
    """``{name: Listing}`` for ``name=(queryset, url)``: the first rows of each, and every
    total counted up to ``CAP`` in one statement. A window count over each whole list grew
    with the coming sessions and waiting trajecten (issue 25 §2)."""
    totals = capped_counts({name: qs for name, (qs, _url) in lists.items()}, cap=CAP)
    return {name: Listing(list(qs[:ROWS]), totals[name], url) for name, (qs, url) in lists.items()}


@dataclass
class CoordinatorPanel:
    this_week: Listing
    short: Listing
    waiting: Listing


def coordinator_panel(now=None):
    now = now or timezone.now()
    start, end = week_bounds(now)
    sessions = reverse("otwb:session_list")
    this_week = (
        Session.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("starts_at", "pk")
        .only("title", "starts_at", "status", "kind"),
        sessions,
    )
    vertrouwenspersonen = (
        Assignment.objects.filter(
            session=OuterRef("pk"), active=True, trainer__kind=TrainerKind.VERTROUWENSPERSOON
        )
        .values("session")
        .annotate(n=Count("*"))
        .values("n")
    )
    short = (
        Session.objects.filter(status__in=OPEN, starts_at__gte=now)
        .annotate(
            assigned=Coalesce(Subquery(vertrouwenspersonen, output_field=IntegerField()), Value(0))
        )
        .filter(assigned__lt=F("min_vertrouwenspersonen"))
        .order_by("starts_at", "pk")
        .only("title", "starts_at", "min_vertrouwenspersonen"),
        sessions,
    )
    waiting = (
        Traject.objects.filter(status=TrajectStatus.VOORGESPREK_HELD)
        .select_related("organisation")
        .order_by("status_changed_at", "pk")
        .only("status_changed_at", "organisation__name"),
        f"{reverse('otwb:traject_list')}?{urlencode({'status': TrajectStatus.VOORGESPREK_HELD})}",
    )
    return CoordinatorPanel(**_listings(this_week=this_week, short=short, waiting=waiting))


def panels(user, membership):
    if membership.role != Role.OTWB_COORDINATOR:
        return []
    return [Panel("otwb/includes/start_coordinator.html", coordinator_panel(), 10)]
