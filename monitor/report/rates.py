"""Rates: meldingen per 100 office holders of a position, for the selected view.

The numerator is the position figure's own cell, so a rate is shown exactly when that count
is: a rate next to a published denominator would otherwise give a hidden count back. The
denominator is the number of office holders of that position with a membership in force in
the portal at the end of the period; the portal does not know every member of every council
(no reference table of seats yet), so where fewer are registered the rate is too high. The
page says so."""

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from weerbaar.constants import Position

from ..aggregates import rates as agg
from ..figures import NOT_SHOWN, Figure, Row, Text
from .common import forced_totals
from .meldingen import POSITION_LABELS, position_table, shared_totals

__all__ = ["figures"]


def per_hundred(count, holders):
    """``count`` per 100 ``holders`` when the count is published and there are holders."""
    if count.suppressed or not holders:
        return NOT_SHOWN
    rate = 100 * count.value / holders
    return Text(number_format(round(rate, 1), 1), rate)


def figures(selection, layout):
    _overview, _totals, people, shared = shared_totals(selection, layout)
    common = {"forced": forced_totals(shared), "total_persons": people}
    positions = position_table(selection, layout, common)
    counts, at = agg.holders(selection)
    groups = layout.flat().members(layout.view)
    rows = []
    for key, cell in positions.row()[0]:
        if key not in Position.values:
            continue  # civil servants: the portal knows too few of them to divide by
        holders = sum(counts.get((g, key), 0) for g in groups)
        # How many hold an office is public (council seats, colleges), not a count of
        # meldingen: a plain number, not a cell of a protected table.
        shown = Text(number_format(holders, 0, force_grouping=True), holders)
        rows.append(Row(POSITION_LABELS[key], [cell, shown, per_hundred(cell, holders)], key))
    return [
        Figure(
            slug="meldingen-per-100-ambtsdragers",
            title=_("Meldingen per 100 ambtsdragers"),
            description=_(
                "Meldingen in de periode per 100 ambtsdragers met die functie. Noemer: de "
                "ambtsdragers met een lopend lidmaatschap in het portaal op %(date)s, niet "
                "het aantal zetels; waar nog niet iedereen in het portaal staat, is de "
                "verhouding te hoog. Een verhouding staat er alleen als het aantal meldingen "
                "er ook staat."
            )
            % {"date": date_format(at, "j F Y")},
            key_header=_("Functie"),
            columns=[_("Meldingen"), _("Ambtsdragers in het portaal"), _("Per 100")],
            rows=rows,
            series=[2],
            chart="bar",
        )
    ]
