"""Rates: meldingen per 100 office holders of a position, for the selected view.

The numerator is the position figure's own cell, so a rate is shown exactly when that count
is: a rate next to a published denominator would otherwise give a hidden count back. The
denominator is, per organisation, its number of seats for that position from the reference
table (``weerbaar.SeatCount``: loaded from public sources or entered by the organisation)
where known, else the office holders of that position with a membership in force in the
portal at the end of the period. Each row says which was used, and for how many
organisations; where members stand in for seats and not everyone is registered, the rate
is too high. The page says so."""

from functools import reduce

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from weerbaar.constants import Position

from ..aggregates import rates as agg
from ..figures import NOT_SHOWN, Figure, Row, Text
from .common import forced_totals
from .meldingen import POSITION_LABELS, position_table, shared_totals

__all__ = ["basis", "figures", "per_hundred"]

SEATS = _("zetels (referentie)")
MEMBERS = _("leden in het portaal")


def per_hundred(count, holders):
    """``count`` per 100 ``holders`` when the count is published and there are holders."""
    if count.suppressed or not holders:
        return NOT_SHOWN
    rate = 100 * count.value / holders
    return Text(number_format(round(rate, 1), 1), rate)


def basis(denominator):
    """Which denominator a row used: seats, members in the portal, or both with counts."""
    if not (denominator.seat_organisations or denominator.member_organisations):
        return NOT_SHOWN  # no organisation of that kind in the view
    if not denominator.seat_organisations:
        return Text(str(MEMBERS))
    if not denominator.member_organisations:
        return Text(str(SEATS))
    return Text(
        ngettext(
            "gemengd: zetels van %(seats)s organisatie, leden in het portaal van %(members)s",
            "gemengd: zetels van %(seats)s organisaties, leden in het portaal van %(members)s",
            denominator.seat_organisations,
        )
        % {
            "seats": number_format(denominator.seat_organisations, 0, force_grouping=True),
            "members": number_format(denominator.member_organisations, 0, force_grouping=True),
        }
    )


def figures(selection, layout):
    _overview, _totals, people, shared = shared_totals(selection, layout)
    common = {"forced": forced_totals(shared), "total_persons": people}
    positions = position_table(selection, layout, common)
    found, at = agg.denominators(selection)
    groups = layout.flat().members(layout.view)
    rows = []
    for key, cell in positions.row()[0]:
        if key not in Position.values:
            continue  # civil servants: the portal knows too few of them to divide by
        denominator = reduce(
            lambda a, b: a + b,
            (found[(g, key)] for g in groups if (g, key) in found),
            agg.Denominator(),
        )
        holders = denominator.total
        # How many seats an office has, or hold it, is public (councils, colleges), not a
        # count of meldingen: a plain number, not a cell of a protected table.
        shown = Text(number_format(holders, 0, force_grouping=True), holders)
        rows.append(
            Row(
                POSITION_LABELS[key],
                [cell, shown, per_hundred(cell, holders), basis(denominator)],
                key,
            )
        )
    return [
        Figure(
            slug="meldingen-per-100-ambtsdragers",
            title=_("Meldingen per 100 ambtsdragers"),
            description=_(
                "Meldingen in de periode per 100 ambtsdragers met die functie. Noemer per "
                "organisatie: het aantal zetels uit de referentietabel waar dat bekend is, "
                "anders de ambtsdragers met een lopend lidmaatschap in het portaal op "
                "%(date)s. De laatste kolom zegt welke noemer is gebruikt, en bij een "
                "mengsel voor hoeveel organisaties. Waar de leden in het portaal de noemer "
                "zijn en nog niet iedereen in het portaal staat, is de verhouding te hoog. "
                "Een verhouding staat er alleen als het aantal meldingen er ook staat."
            )
            % {"date": date_format(at, "j F Y")},
            key_header=_("Functie"),
            columns=[_("Meldingen"), _("Zetels of ambtsdragers"), _("Per 100"), _("Noemer")],
            rows=rows,
            series=[2],
            chart="bar",
        )
    ]
