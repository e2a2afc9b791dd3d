"""The OTWB part of the start page (``weerbaar.navigation.start_panels_for``) for the
coordinator: this week's sessions, upcoming sessions still short of vertrouwenspersonen,
and trajecten whose voorgesprek was held without a session planned since. Three queries:
each list carries its own total (a window count)."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value, Window
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from weerbaar.constants import Role
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


def _listing(qs, url):
    rows = list(qs.annotate(total=Window(Count("*")))[:ROWS])
    return Listing(rows, rows[0].total if rows else 0, url)


@dataclass
class CoordinatorPanel:
    this_week: Listing
    short: Listing
    waiting: Listing


def coordinator_panel(now=None):
    now = now or timezone.now()
    start, end = week_bounds(now)
    sessions = reverse("otwb:session_list")
    this_week = _listing(
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
    short = _listing(
        Session.objects.filter(status__in=OPEN, starts_at__gte=now)
        .annotate(
            assigned=Coalesce(Subquery(vertrouwenspersonen, output_field=IntegerField()), Value(0))
        )
        .filter(assigned__lt=F("min_vertrouwenspersonen"))
        .order_by("starts_at", "pk")
        .only("title", "starts_at", "min_vertrouwenspersonen"),
        sessions,
    )
    waiting = _listing(
        Traject.objects.filter(status=TrajectStatus.VOORGESPREK_HELD)
        .select_related("organisation")
        .order_by("status_changed_at", "pk")
        .only("status_changed_at", "organisation__name"),
        f"{reverse('otwb:traject_list')}?{urlencode({'status': TrajectStatus.VOORGESPREK_HELD})}",
    )
    return CoordinatorPanel(this_week, short, waiting)


def panels(user, membership):
    if membership.role != Role.OTWB_COORDINATOR:
        return []
    return [Panel("otwb/includes/start_coordinator.html", coordinator_panel(), 10)]
