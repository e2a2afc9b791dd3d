"""The gender section (issue 23): meldingen by the reporter's self-declared gender, with the
position at filing and with online or not. Both are two-way tables protected as one problem
each (``monitor.crosstab``); the position totals are the position figure's own cells, the
grand totals the shared ones, so no figure on the page can be subtracted from another."""

from django.utils.translation import gettext_lazy as _

from ..aggregates import dimensions as agg
from ..crosstab import crosstab
from ..figures import Figure, Row
from .common import TOTAL_LABEL, forced_totals, memoised, per_period
from .meldingen import POSITION_KEYS, POSITION_LABELS, position_applies, position_table
from .meldingen import shared_totals as meldingen_totals

__all__ = ["figures", "tables"]

GENDER_LABELS = {
    "vrouw": _("Vrouw"),
    "man": _("Man"),
    "anders": _("Anders"),
    agg.NOT_GIVEN: _("Niet opgegeven"),
}
ONLINE_LABELS = {agg.ONLINE: _("Online"), agg.OFFLINE: _("Niet online")}

NOTE = _(
    "Gender is wat de melder zelf opgaf in het portaal; wie niets opgaf, ‘zeg ik liever "
    "niet’ koos of het antwoord verwijderde, telt als ‘niet opgegeven’. Het gaat om "
    "meldingen, niet om hoe vaak agressie voorkomt."
)


def _figure(table, labels, *, slug, title, description, key_header):
    columns = [GENDER_LABELS[g] for g in table.rows] + [TOTAL_LABEL]
    rows = [
        Row(
            labels.get(c, str(c)),
            [table.cell(g, c) for g in table.rows] + [table.column_total(c)],
            c,
        )
        for c in table.columns_in()
    ]
    total = Row(TOTAL_LABEL, [table.row_total(g) for g in table.rows] + [table.total()])
    return Figure(
        slug=slug,
        title=title,
        description=description,
        key_header=key_header,
        columns=columns,
        rows=rows,
        total=total,
        chart="",
        note=NOTE,
    )


@memoised("gender")
def tables(selection, layout):
    """(gender × position, gender × online, the position figure's table it pins), each
    over the year's cube."""
    _overview, _totals, people, shared = meldingen_totals(selection, layout)
    common = {"forced": forced_totals(shared), "total_persons": people}
    positions = position_table(selection, layout, common)
    row_counts, row_people = per_period(agg.by_gender, selection, layout)
    by_position, by_position_people = per_period(agg.by_gender_and, selection, layout, "position")
    by_online, by_online_people = per_period(agg.by_gender_and, selection, layout, "online")
    rows = {"row_counts": row_counts, "row_persons": row_people, "shared": shared}
    gender_position = crosstab(
        by_position,
        by_position_people,
        agg.GENDERS,
        POSITION_KEYS,
        layout,
        pinned_columns=positions,
        applies=position_applies,
        **rows,
    )
    gender_online = crosstab(
        by_online, by_online_people, agg.GENDERS, [agg.ONLINE, agg.OFFLINE], layout, **rows
    )
    return gender_position, gender_online, positions


def figures(selection, layout):
    gender_position, gender_online, _positions = tables(selection, layout)
    return [
        _figure(
            gender_position,
            POSITION_LABELS,
            slug="meldingen-gender-functie",
            title=_("Meldingen per functie en gender van de melder"),
            description=_(
                "De functie op het moment van melden, naar het gender dat de melder zelf "
                "opgaf. De kolom Totaal is dezelfde als in ‘Meldingen per functie’."
            ),
            key_header=_("Functie"),
        ),
        _figure(
            gender_online,
            ONLINE_LABELS,
            slug="meldingen-gender-online",
            title=_("Online en niet online, naar gender van de melder"),
            description=_(
                "Online: via sociale media, of het voorval gebeurde online. Niet online: "
                "al het andere, ook als het kanaal niet is ingevuld."
            ),
            key_header=_("Kanaal"),
        ),
    ]
