"""Per quarter (per month within a quarter): meldingen, the share with aangifte, the share
acknowledged within the deadline, and the median times to acknowledgement and to closing.

Every count here is a cell of the year's cube (``monitor.hierarchy``), the same cell every
other figure and period shows: a quarter's meldingen are the shared total of that quarter,
its aangifte count the "yes" of the follow-up figure's aangifte table in that quarter, its
count acknowledged in time the "yes" of the in-time table. So the quarters of a year add up
to the year's figures by the cube's own lines, and no quarter can be set against its
months to give a hidden one back. A share is shown only when its count and the period's
count are; a median only when the period's count is shown and at least five meldingen are
behind it.
"""

from django.utils.translation import gettext_lazy as _

from ..aggregates import quarters as agg
from ..figures import NOT_SHOWN, Figure, Row, days, hours, share
from ..hierarchy import TOTAL
from ..selection import MONTH, QUARTER, YEAR
from ..suppression import THRESHOLD
from .common import TOTAL_LABEL
from .meldingen import in_time_table, shared_totals, sub_periods, yes_cell, yes_no_table

__all__ = ["figures", "rows_of"]


def rows_of(selection, layout):
    """The periods the figure has a row for: a year's quarters, a quarter's months, a
    month itself."""
    kind = selection.period.kind
    if kind == YEAR:
        return sub_periods(selection, layout, QUARTER)
    return sub_periods(selection, layout, MONTH)


def figures(selection, layout):
    _overview, _totals, _people, shared = shared_totals(selection, layout)
    aangifte = yes_no_table(selection, layout, "aangifte")
    in_time = in_time_table(selection, layout)
    periods = rows_of(selection, layout)
    by_quarter = selection.period.kind == YEAR
    times = agg.times(selection, per=QUARTER if by_quarter else MONTH)
    rows = []
    for p in periods:
        at = layout.at(period=p)
        count = shared.cells[(at, TOTAL)]
        with_aangifte, on_time = yes_cell(aangifte, at), yes_cell(in_time, at)
        t = times.get(p.start, {})
        ack_ok = not count.suppressed and t.get("acknowledged", 0) >= THRESHOLD
        close_ok = not count.suppressed and t.get("closed", 0) >= THRESHOLD
        rows.append(
            Row(
                p.short_label,
                [
                    count,
                    with_aangifte,
                    share(with_aangifte, count),
                    on_time,
                    share(on_time, count),
                    hours(t.get("ack_median"), ack_ok),
                    days(t.get("close_median"), close_ok),
                ],
                p,
            )
        )
    at = layout.selected
    total, yes, ok = (
        shared.cells[(at, TOTAL)],
        yes_cell(aangifte, at),
        yes_cell(in_time, at),
    )
    total_row = Row(
        TOTAL_LABEL,
        [total, yes, share(yes, total), ok, share(ok, total), NOT_SHOWN, NOT_SHOWN],
    )
    return [
        Figure(
            slug="meldingen-per-kwartaal",
            title=_("Aangifte, tijdige bevestiging en doorlooptijd per kwartaal")
            if by_quarter
            else _("Aangifte, tijdige bevestiging en doorlooptijd per maand"),
            description=_(
                "Per periode van verzenden; het lopende kwartaal telt de maanden tot nu. Op "
                "tijd bevestigd: ontvangst bevestigd vóór de termijn die bij de ernst hoort. "
                "Medianen in kalendertijd; doorlooptijd tot afsluiten over de meldingen die "
                "al zijn afgesloten."
            ),
            key_header=_("Kwartaal") if by_quarter else _("Maand"),
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
