"""Per quarter: meldingen, the share with aangifte, the share acknowledged within the
deadline, and the median times to acknowledgement and to closing.

Every count here is tied to a figure already on the page, and protected with it:

* a quarter's meldingen are the subtotal of its months in "Meldingen per maand", protected
  in the same problem as the months (a quarter with a hidden month is shown only when that
  gives no month back);
* the aangifte counts per quarter add up to the "Aangifte gedaan" cell of the follow-up
  figure, which is pinned (the very same protected table); the acknowledged-in-time
  counts have their own totals;
* each split is a two-way table (yes/no × quarter) protected by ``monitor.crosstab``;
* a share is shown only when its count and the quarter's count are, so a share never
  reveals a hidden count through its denominator; a median only when the quarter's count
  is shown and at least five meldingen are behind it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ..aggregates import quarters as agg
from ..crosstab import crosstab
from ..figures import NOT_SHOWN, Figure, Row, days, hours, share
from ..suppression import THRESHOLD
from .common import TOTAL_LABEL, forced_totals
from .meldingen import month_table, quarter_key, shared_totals, yes_no_table

__all__ = ["figures", "tables"]


@dataclass
class Quarters:
    """The quarters' cells of the month table: ``cells[(view, quarter)]``."""

    cells: dict


def tables(selection, layout):
    """(quarters, the quarters' cells, aangifte table, in-time table)."""
    _overview, _totals, people, shared = shared_totals(selection, layout)
    common = {"forced": forced_totals(shared), "total_persons": people}
    months = month_table(selection, layout, common)
    quarters = sorted({agg.quarter_of(m) for m in selection.months})
    counts = Quarters(
        {
            (view, q): months.cells[(view, quarter_key(q))]
            for view in layout.views()
            for q in quarters
        }
    )
    aangifte_counts, aangifte_people = agg.split(selection, agg.AANGIFTE)
    aangifte = crosstab(
        aangifte_counts,
        aangifte_people,
        ["yes", "no"],
        quarters,
        layout,
        row_counts={
            (g, flag): sum(aangifte_counts.get((g, (flag, q)), 0) for q in quarters)
            for g in layout.groups
            for flag in ("yes", "no")
        },
        row_persons={},
        shared=shared,
        pinned_columns=counts,
        pinned_rows=yes_no_table(selection, layout, "aangifte"),
    )
    in_time_counts, in_time_people = agg.split(selection, agg.IN_TIME)
    row_counts, row_people = agg.split(selection, agg.IN_TIME, by_quarter=False)
    in_time = crosstab(
        in_time_counts,
        in_time_people,
        ["yes", "no"],
        quarters,
        layout,
        row_counts=row_counts,
        row_persons=row_people,
        shared=shared,
        pinned_columns=counts,
    )
    return quarters, counts, aangifte, in_time


def _label(quarter):
    return _("K%(q)s %(year)s") % {"q": (quarter.month - 1) // 3 + 1, "year": quarter.year}


def figures(selection, layout):
    quarters, counts, aangifte, in_time = tables(selection, layout)
    times = agg.times(selection)
    view = layout.view
    rows = []
    for q in quarters:
        count = counts.cells[(view, q)]
        with_aangifte, on_time = aangifte.cell("yes", q), in_time.cell("yes", q)
        t = times.get(q, {})
        ack_ok = not count.suppressed and t.get("acknowledged", 0) >= THRESHOLD
        close_ok = not count.suppressed and t.get("closed", 0) >= THRESHOLD
        rows.append(
            Row(
                _label(q),
                [
                    count,
                    with_aangifte,
                    share(with_aangifte, count),
                    on_time,
                    share(on_time, count),
                    hours(t.get("ack_median"), ack_ok),
                    days(t.get("close_median"), close_ok),
                ],
                q,
            )
        )
    total = aangifte.total()
    total_row = Row(
        TOTAL_LABEL,
        [
            total,
            aangifte.row_total("yes"),
            share(aangifte.row_total("yes"), total),
            in_time.row_total("yes"),
            share(in_time.row_total("yes"), total),
            NOT_SHOWN,
            NOT_SHOWN,
        ],
    )
    return [
        Figure(
            slug="meldingen-per-kwartaal",
            title=_("Aangifte, tijdige bevestiging en doorlooptijd per kwartaal"),
            description=_(
                "Per kwartaal van verzenden; een kwartaal dat maar deels in de periode valt, "
                "telt alleen die maanden. Op tijd bevestigd: ontvangst bevestigd vóór de "
                "termijn die bij de ernst hoort. Medianen in kalendertijd; doorlooptijd tot "
                "afsluiten over de meldingen die al zijn afgesloten."
            ),
            key_header=_("Kwartaal"),
            columns=[
                _("Meldingen"),
                _("Met aangifte"),
                _("Aandeel met aangifte"),
                _("Op tijd bevestigd"),
                _("Aandeel op tijd"),
                _("Mediaan tot bevestiging"),
                _("Mediaan tot afsluiten"),
            ],
            rows=rows,
            total=total_row,
            chart="line" if len(rows) > 1 else "",
            series=[2, 4],
            unit="%",
        )
    ]
