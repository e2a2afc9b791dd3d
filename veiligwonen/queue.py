"""Read side of the intake queue: "why here" per row and the expected wait per class."""

import math

from django.db.models import Count
from django.utils import formats
from django.utils.translation import gettext

from weerbaar.constants import Role
from weerbaar.models import Membership, User

from . import scoring
from .constants import DEFAULT_CASES_PER_WEEK, URGENCY_ORDER, WAITING_FOR_INTAKE
from .models import Application

__all__ = [
    "LIST_FIELDS",
    "adviser_capacity",
    "annotate_rows",
    "expected_waits",
    "with_score_texts",
]

# What a row of the queue shows, and what its "why here" is computed from.
LIST_FIELDS = (
    "position",
    "urgency_class",
    "status",
    "submitted_at",
    "sla_due_at",
    "intake_held_at",
    *scoring.INDICATOR_POINTS,
    "linked_meldingen",
    "organisation__name",
    "intake_officer__full_name",
    "intake_officer__email",
)


def adviser_capacity():
    """Cases per week all active CCV advisers together can take (configured per adviser,
    the default for advisers without a setting)."""
    ids = Membership.objects.active().filter(role=Role.SECURITY_ADVISER).values("user_id")
    per_adviser = User.objects.filter(pk__in=ids, is_active=True).values_list(
        "vw_profile__cases_per_week", flat=True
    )
    return sum(DEFAULT_CASES_PER_WEEK if c is None else c for c in per_adviser)


def expected_waits():
    """[(class, waiting now, expected wait in working days)] for a case filed now: it is
    served after every waiting case of its own class and the more urgent ones, at the
    advisers' combined pace. ``None`` when no adviser capacity is configured."""
    counts = dict(
        Application.objects.filter(status__in=WAITING_FOR_INTAKE)
        .values_list("urgency_class")
        # COUNT(*), not COUNT(id): the count then needs no column outside the index.
        .annotate(n=Count("*"))
    )
    capacity = adviser_capacity()
    rows, ahead = [], 0
    for urgency in URGENCY_ORDER:
        ahead += counts.get(urgency, 0)
        days = math.ceil(ahead * 5 / capacity) if capacity else None
        rows.append((urgency, counts.get(urgency, 0), days))
    return rows


def annotate_rows(applications, now):
    """Attach ``why`` (the score's parts) and ``overdue`` to each row, in Python from the
    row's own columns: no query per row."""
    for app in applications:
        app.why = scoring.breakdown(app, now)
        app.live_score = sum(p.points for p in app.why)
        app.overdue = (
            app.intake_held_at is None
            and app.status in WAITING_FOR_INTAKE
            and app.sla_due_at is not None
            and app.sla_due_at < now
        )
    return applications


def with_score_texts(applications):
    """``score_text`` ("1120 punten") and ``why_lines`` ("urgentieklasse hoog: +500") per
    row of ``annotate_rows``, so that a row's cell renders one text, not a label and a
    number each, and the score's words are translated once per list."""
    text = gettext("%(score)s punten")
    for app in applications:
        app.score_text = text % {"score": formats.localize(app.live_score)}
        app.why_lines = [f"{part.label}: +{formats.localize(part.points)}" for part in app.why]
    return applications
