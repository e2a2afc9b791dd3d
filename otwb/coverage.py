"""How far the tour has reached: per province, per kind and over time.

Everything is counted in the database in a fixed number of queries (one per province row
set, one per month series, one for the organisations not yet approached), and the chart
geometry is computed here so the template draws plain SVG without any inline style."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from weerbaar.constants import OrganisationKind

from .constants import TrajectStatus
from .models import Traject

__all__ = [
    "CoverageRow",
    "bar_chart",
    "by_province",
    "line_chart",
    "not_approached",
    "over_time",
]


@dataclass
class CoverageRow:
    label: str
    total: int
    voorgesprek: int
    session: int

    def _share(self, part):
        return round(100 * part / self.total) if self.total else 0

    @property
    def voorgesprek_pct(self):
        return self._share(self.voorgesprek)

    @property
    def session_pct(self):
        return self._share(self.session)


def _counts():
    return {
        "total": Count("pk"),
        "voorgesprek": Count("pk", filter=Q(voorgesprek_held_at__isnull=False)),
        "session": Count("pk", filter=Q(session_held_at__isnull=False)),
    }


def by_province(tour):
    """One row per province for its gemeenten, one for the provincies, and the total."""
    trajecten = Traject.objects.filter(tour=tour)
    gemeenten = (
        trajecten.filter(organisation__kind=OrganisationKind.GEMEENTE)
        .values("organisation__province__name")
        .annotate(**_counts())
        .order_by("organisation__province__name")
    )
    rows = [
        CoverageRow(
            r["organisation__province__name"] or "–", r["total"], r["voorgesprek"], r["session"]
        )
        for r in gemeenten
    ]
    by_kind = {
        r["organisation__kind"]: r
        for r in trajecten.values("organisation__kind").annotate(**_counts()).order_by()
    }

    def kind_row(kind, label):
        r = by_kind.get(kind, {"total": 0, "voorgesprek": 0, "session": 0})
        return CoverageRow(label, r["total"], r["voorgesprek"], r["session"])

    gemeente_total = kind_row(OrganisationKind.GEMEENTE, _("Alle gemeenten"))
    provincie_total = kind_row(OrganisationKind.PROVINCIE, _("Provincies (Provinciale Staten)"))
    return rows, gemeente_total, provincie_total


def over_time(tour):
    """Cumulative number of organisations reached by month: [(month, voorgesprek, session)]."""
    trajecten = Traject.objects.filter(tour=tour)
    v = dict(
        trajecten.filter(voorgesprek_held_at__isnull=False)
        .annotate(m=TruncMonth("voorgesprek_held_at"))
        .values_list("m")
        .annotate(n=Count("pk"))
        .order_by()
    )
    s = dict(
        trajecten.filter(session_held_at__isnull=False)
        .annotate(m=TruncMonth("session_held_at"))
        .values_list("m")
        .annotate(n=Count("pk"))
        .order_by()
    )
    months = sorted({m.date() if hasattr(m, "date") else m for m in [*v, *s]})
    v = {(k.date() if hasattr(k, "date") else k): n for k, n in v.items()}
    s = {(k.date() if hasattr(k, "date") else k): n for k, n in s.items()}
    series, cv, cs = [], 0, 0
    for month in months:
        cv += v.get(month, 0)
        cs += s.get(month, 0)
        series.append((month, cv, cs))
    return series


def not_approached(tour):
    return (
        Traject.objects.filter(tour=tour, status=TrajectStatus.NOT_APPROACHED)
        .select_related("organisation", "organisation__province")
        .order_by("organisation__kind", "organisation__name")
    )


BAR_WIDTH = 300
ROW_HEIGHT = 28


def bar_chart(rows):
    """Geometry for a horizontal bar chart of the share reached per row."""
    bars = []
    for i, row in enumerate(rows):
        y = i * ROW_HEIGHT
        bars.append(
            {
                "label": row.label,
                "y": y,
                "text_y": y + 17,
                "v_width": round(BAR_WIDTH * row.voorgesprek_pct / 100),
                "s_width": round(BAR_WIDTH * row.session_pct / 100),
                "v_pct": row.voorgesprek_pct,
                "s_pct": row.session_pct,
            }
        )
    return {"bars": bars, "height": max(len(rows), 1) * ROW_HEIGHT, "width": BAR_WIDTH}


def line_chart(series, total, *, width=600, height=200):
    """Polylines of the cumulative number reached over time, each month a marked point.
    The lines start from zero before the first month, so that one month of data draws a
    line too (a polyline of one point draws nothing)."""
    if not series or not total:
        return None
    step = width / len(series)

    def y(n):
        return round(height - height * n / total, 1)

    points = [(0, y(0), y(0))] + [
        (round((i + 1) * step, 1), y(v), y(s)) for i, (_month, v, s) in enumerate(series)
    ]
    return {
        "width": width,
        "height": height,
        "v_points": " ".join(f"{x},{vy}" for x, vy, _sy in points),
        "s_points": " ".join(f"{x},{sy}" for x, _vy, sy in points),
        "markers": [
            {"x": x, "v_y": vy, "s_y": sy, "month": month, "v": v, "s": s}
            for (x, vy, sy), (month, v, s) in zip(points[1:], series, strict=True)
        ],
    }
