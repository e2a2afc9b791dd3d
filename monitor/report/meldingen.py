"""The meldingen section. Every table is the year's cube (``monitor.hierarchy``): each
aggregation counts every period of the year in one statement, is protected once, and read
for the selected period and view."""

from django.utils.translation import gettext_lazy as _

from incidents.constants import Category, Channel
from weerbaar.constants import POSITIONS_BY_KIND, Position, Role

from ..aggregates import meldingen as agg
from ..aggregates import quarters as quarter_agg
from ..figures import Figure, Row, hours, share
from ..hierarchy import ALL, TOTAL, tabulate
from .common import (
    TOTAL_LABEL,
    count_figure,
    forced_totals,
    memoised,
    per_period,
    period_rows,
    protected_totals,
)

__all__ = [
    "figures",
    "in_time_table",
    "position_applies",
    "position_table",
    "shared_totals",
    "sub_periods",
    "yes_cell",
    "yes_no_table",
]

COUNT = _("Meldingen")
UNKNOWN_CHANNEL = _("Niet ingevuld")


POSITION_KEYS = [*Position.values, agg.CIVIL_SERVANT]
POSITION_LABELS = {**dict(Position.choices), agg.CIVIL_SERVANT: Role.CIVIL_SERVANT.label}


def position_applies(kind, key):
    if key == agg.CIVIL_SERVANT or kind is None:
        return True
    return key in POSITIONS_BY_KIND.get(kind, [])


def _province_names(layout):
    from weerbaar.models import Organisation

    ids = [p for _k, p in layout.groups if p]
    names = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
    return {**names, 0: _("Geen provincie (waterschappen)")}


def sub_periods(selection, layout, kind):
    """The periods of ``kind`` ("maand", "kwartaal") in the cube that lie within the
    selected period, in order."""
    months = set(selection.months)
    return [p for p in layout.periods if p.kind == kind and p.start in months]


@memoised("shared")
def shared_totals(selection, layout):
    """(overview, totals, people, shared): the per-group figures of every period of the
    year and the protected totals every meldingen figure starts from."""
    overview = agg.overview(selection, periods=layout.periods)
    groups = [(p, g) for p in layout.periods for g in layout.groups]
    totals = {g: overview.get(g, {}).get("total", 0) for g in groups}
    people = {g: overview.get(g, {}).get("people", 0) for g in groups}
    return overview, totals, people, protected_totals(totals, layout, people)


@memoised("positions")
def position_table(selection, layout, common):
    """The protected meldingen per position; the gender × position table pins its cells."""
    positions, position_people = per_period(agg.by_position, selection, layout)
    return tabulate(
        positions,
        POSITION_KEYS,
        layout,
        applies=position_applies,
        persons=position_people,
        **common,
    )


@memoised("yes_no", keyed=1)
def yes_no_table(selection, layout, field):
    """The protected yes/no split of the meldingen by ``field`` of the overview
    ("aangifte", "escalated", "acknowledged"); the quarter figure reads its rows."""
    overview, totals, people, shared = shared_totals(selection, layout)
    split = {}
    for g in totals:
        yes = overview.get(g, {}).get(field, 0)
        split[(g, "yes")] = yes
        split[(g, "no")] = totals[g] - yes
    return tabulate(
        split, ["yes", "no"], layout, forced=forced_totals(shared), total_persons=people
    )


def yes_cell(table, view):
    """The "yes" of a yes/no split in ``view``. A view without any organisation (no
    decentral organisation yet) has no key cells, only its total: nothing was counted, so
    its "yes" is that total, protected alike."""
    return table.cells.get((view, "yes"), table.cells[(view, TOTAL)])


@memoised("in_time")
def in_time_table(selection, layout):
    """The protected split of the meldingen into acknowledged within the deadline or not."""
    _overview, _totals, people, shared = shared_totals(selection, layout)
    counts, persons = per_period(
        quarter_agg.split, selection, layout, quarter_agg.IN_TIME, by_quarter=False
    )
    return tabulate(
        counts,
        ["yes", "no"],
        layout,
        forced=forced_totals(shared),
        persons=persons,
        total_persons=people,
    )


@memoised("categories")
def category_table(selection, layout, common, totals):
    categories, category_people = per_period(agg.by_category, selection, layout)
    return tabulate(
        categories,
        Category.values,
        layout,
        totals=totals,
        additive=False,
        persons=category_people,
        **common,
    )


@memoised("channels")
def channel_table(selection, layout, common):
    channels, channel_people = per_period(agg.by_channel, selection, layout)
    return tabulate(channels, [*Channel.values, ""], layout, persons=channel_people, **common)


def month_figure(selection, layout, table, *, slug, title, description, column):
    """The months of the selected period, each the total of that month in the year's cube
    (the very cells of the month's own page), and the period's total."""
    months = sub_periods(selection, layout, "maand")
    return Figure(
        slug=slug,
        title=title,
        description=description,
        key_header=_("Maand"),
        columns=[column],
        rows=period_rows(table, months, layout),
        total=Row(TOTAL_LABEL, [table.cells[(layout.selected, TOTAL)]]),
        chart="line" if len(months) > 1 else "",
    )


def figures(selection, layout):
    _overview, totals, people, shared = shared_totals(selection, layout)
    forced = forced_totals(shared)
    common = {"forced": forced, "total_persons": people}
    result = [
        month_figure(
            selection,
            layout,
            shared,
            slug="meldingen-per-maand",
            title=_("Meldingen per maand"),
            description=_("Aantal verstuurde meldingen per maand van verzending."),
            column=COUNT,
        ),
        count_figure(
            category_table(selection, layout, common, totals),
            dict(Category.choices),
            slug="meldingen-per-categorie",
            title=_("Meldingen per soort voorval"),
            description=_(
                "Een melding kan meer dan één soort voorval hebben; de aantallen tellen "
                "daarom niet op tot het totaal."
            ),
            key_header=_("Soort voorval"),
            column=COUNT,
            show_total=False,
        ),
        count_figure(
            channel_table(selection, layout, common),
            {**dict(Channel.choices), "": UNKNOWN_CHANNEL},
            slug="meldingen-per-kanaal",
            title=_("Meldingen per kanaal"),
            description=_("Hoe het voorval de melder bereikte."),
            key_header=_("Kanaal"),
            column=COUNT,
        ),
    ]
    result.append(
        count_figure(
            position_table(selection, layout, common),
            POSITION_LABELS,
            slug="meldingen-per-functie",
            title=_("Meldingen per functie van de melder"),
            description=_("De functie van de melder op het moment van melden."),
            key_header=_("Functie"),
            column=COUNT,
        )
    )
    if not layout.is_single and layout.view[1] == ALL:
        result.append(_per_province(shared, layout))
    result.extend(_follow_up(selection, layout))
    return result


def _per_province(shared, layout):
    kind = layout.view[0]
    names = _province_names(layout)
    provinces = sorted({p for _k, p in layout.groups}, key=lambda p: (p == 0, names.get(p, "")))
    rows = []
    for p in provinces:
        view = (kind, p) if kind != ALL else (ALL, p)
        cell = shared.cells.get((layout.at(view), TOTAL))
        if cell is not None:
            rows.append(Row(names.get(p, str(p)), [cell], p))
    _cells, total = shared.row()
    return Figure(
        slug="meldingen-per-provincie",
        title=_("Meldingen per provincie"),
        description=_(
            "Meldingen van gemeenten en provincies per provincie; waterschappen liggen "
            "vaak in meer provincies en staan apart."
        ),
        key_header=_("Provincie"),
        columns=[COUNT],
        rows=rows,
        total=Row(_("Totaal"), [total]),
    )


def _follow_up(selection, layout):
    """Aangifte, escalation and acknowledgement: each a yes/no split of the same
    population, protected like every other figure."""
    rows, cells = [], {}
    labels = {
        "aangifte": _("Aangifte gedaan"),
        "escalated": _("Geëscaleerd naar de voorzitter"),
        "acknowledged": _("Ontvangst bevestigd"),
    }
    for field, label in labels.items():
        table = yes_no_table(selection, layout, field)
        yes, total = yes_cell(table, layout.selected), table.cells[(layout.selected, TOTAL)]
        cells[field] = yes
        rows.append(Row(label, [yes, share(yes, total)], field))
    follow_up = Figure(
        slug="meldingen-opvolging",
        title=_("Aangifte, escalatie en ontvangstbevestiging"),
        description=_("Aandeel van alle meldingen in de periode."),
        key_header=_("Opvolging"),
        columns=[COUNT, _("Aandeel")],
        rows=rows,
        series=[1],
        unit="%",
    )
    times = agg.ack_times(selection)
    visible = not cells["acknowledged"].suppressed
    ack = Figure(
        slug="meldingen-ontvangstbevestiging",
        title=_("Tijd tot ontvangstbevestiging"),
        description=_(
            "Tijd van verzenden tot bevestiging van ontvangst, in uren (kalendertijd), "
            "over de meldingen waarvan de ontvangst is bevestigd."
        ),
        key_header=_("Maat"),
        columns=[_("Uren")],
        rows=[
            Row(_("Mediaan"), [hours(times["median"], visible)], "median"),
            Row(_("90e percentiel"), [hours(times["p90"], visible)], "p90"),
        ],
        chart="",
    )
    return [follow_up, ack]
