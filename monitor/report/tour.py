"""The tour section: the share of gemeenten and provincies in the current main tour that
have had their voorgesprek and their session, by month.

The counts are cumulative, so a month's figure does not depend on the period selected: the
months of the whole year (as far as begun) are protected as one table, and a period shows
its own months of it."""

from django.utils.translation import gettext_lazy as _

from ..aggregates import tour as agg
from ..figures import NOT_SHOWN, Figure, Row, share
from ..hierarchy import tabulate
from ..selection import MONTH, Period
from .common import memoised

__all__ = ["figures"]


def _cumulative(monthly, months, groups):
    """Organisations reached up to and including each month, per group; months before
    the period count towards the first one."""
    result = {}
    for g in groups:
        running = sum(n for (grp, m), n in monthly.items() if grp == g and m < months[0])
        for month in months:
            running += monthly.get((g, month), 0)
            result[(g, month)] = running
    return result


@memoised("tour")
def tables(selection, layout, tour):
    """{milestone: protected table of the year's months}, over the views without periods."""
    organisations = agg.organisations(tour, selection)
    months = [p.start for p in layout.periods if p.kind == MONTH]
    flat = layout.flat()
    result = {}
    for milestone in ("voorgesprek_held_at", "session_held_at"):
        monthly = agg.reached_by_month(tour, selection, milestone)
        cumulative = _cumulative(monthly, months, flat.groups)
        result[milestone] = tabulate(cumulative, months, flat, totals=organisations, additive=False)
    return result


def figures(selection, layout):
    tour = agg.current_tour()
    if tour is None:
        return []
    months = [m for m in selection.months if any(p.start == m for p in layout.periods)]
    series = {}
    for milestone, table in tables(selection, layout, tour).items():
        cells, total = table.for_layout(layout.flat()).row()
        series[milestone] = (dict(cells), total)
    v_cells, total = series["voorgesprek_held_at"]
    s_cells, _total = series["session_held_at"]
    rows = [
        Row(
            Period.of_month(m).short_label,
            [v_cells[m], share(v_cells[m], total), s_cells[m], share(s_cells[m], total)],
            m,
        )
        for m in months
    ]
    return [
        Figure(
            slug="ronde-dekking",
            title=_("Bereik van de ronde: %(tour)s") % {"tour": tour.name},
            description=_(
                "Aantal en aandeel van de gemeenten en provincies in de ronde met een "
                "gehouden voorgesprek en een gehouden sessie, opgeteld tot en met elke maand."
            ),
            key_header=_("Maand"),
            columns=[
                _("Voorgesprek gehouden"),
                _("Aandeel voorgesprek"),
                _("Sessie gehouden"),
                _("Aandeel sessie"),
            ],
            rows=rows,
            total=Row(
                _("Organisaties in de ronde"),
                [total, NOT_SHOWN, total, NOT_SHOWN],
            ),
            chart="line",
            series=[1, 3],
            unit="%",
        )
    ]
