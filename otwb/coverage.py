"""How far the tour has reached: per province, per kind and over time.

Everything is counted in the database in a fixed number of queries (one per province row
set, one per month series, one for the organisations not yet approached); the charts are
drawn by the portal's one renderer (``weerbaar.charts``), like the monitor's."""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.cache import caches
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from weerbaar.charts import Chart, Series, Value, render
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
    return list(
        Traject.objects.filter(tour=tour, status=TrajectStatus.NOT_APPROACHED)
        .select_related("organisation")
        # What a row shows (the organisation as it prints: kind, name, code).
        .only("organisation__kind", "organisation__name", "organisation__code")
        .order_by("organisation__kind", "organisation__name")
    )


def _drawn(chart, kind):
    """``render(chart, kind)``, kept per process for the same chart (its texts and numbers)
    in the same language: every coordinator gets the same two charts until a traject moves
    on, and drawing them was a third of the page's rendering. Figures of the tour only,
    nothing of a person."""
    described = repr((kind, chart, get_language())).encode()
    key = f"otwb_coverage_chart_{hashlib.sha256(described).hexdigest()}"
    kept = caches["fragments"]
    drawn = kept.get(key)
    if drawn is None:
        drawn = render(chart, kind) or ""
        kept.set(key, drawn)
    return drawn or None


def bar_chart(rows):
    """The share reached per row, as a chart of the portal's renderer: two bars per row
    (voorgesprek, sessie), each with its percentage written beside it."""
    return _drawn(
        Chart(
            ident="coverage-bar",
            title=_("Aandeel bereikt per provincie"),
            description=_("De percentages staan bij de staven en in de tabel hieronder."),
            labels=[row.label for row in rows],
            series=[
                Series(
                    _("Voorgesprek gehouden"),
                    [Value(r.voorgesprek_pct, f"{r.voorgesprek_pct}%") for r in rows],
                ),
                Series(
                    _("Sessie gehouden"), [Value(r.session_pct, f"{r.session_pct}%") for r in rows]
                ),
            ],
            unit="%",
        ),
        "bar",
    )


def line_chart(series):
    """The cumulative number of organisations reached per month. The lines start from
    zero in the month before the first, which is true of a running total and lets one
    month of data draw a line rather than a lone point."""
    if not series:
        return None
    first = series[0][0]
    before = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    points = [(before, 0, 0), *series]
    return _drawn(
        Chart(
            ident="coverage-line",
            title=_("Aantal bereikte organisaties per maand, opgeteld"),
            description=_("De aantallen per maand staan in de tabel hieronder."),
            labels=[date_format(month, "M Y") for month, _v, _s in points],
            series=[
                Series(_("Voorgesprek"), [Value(v, str(v)) for _m, v, _s in points]),
                Series(_("Sessie"), [Value(s, str(s)) for _m, _v, s in points]),
            ],
        ),
        "line",
    )
