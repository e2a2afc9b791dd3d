"""The meldingen section."""

from contextvars import ContextVar
from functools import wraps

from django.utils.translation import gettext_lazy as _

from incidents.constants import Category, Channel
from weerbaar.constants import POSITIONS_BY_KIND, Position, Role

from ..aggregates import meldingen as agg
from ..aggregates import quarters as quarter_agg
from ..figures import Figure, Row, hours, share
from ..hierarchy import ALL, tabulate
from .common import (
    count_figure,
    forced_totals,
    month_label,
    protected_totals,
)

__all__ = [
    "figures",
    "month_table",
    "position_applies",
    "position_table",
    "quarter_key",
    "shared_totals",
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


# Within one ``report.build``: the figures that several sections start from, computed once.
MEMO = ContextVar("monitor_meldingen_memo", default=None)


def _memoised(name, keyed=0):
    """Computed once per build for (selection, layout) and the first ``keyed`` further
    arguments (the others are the same in every call)."""

    def wrap(function):
        @wraps(function)
        def memoised(selection, layout, *args):
            memo = MEMO.get()
            if memo is None:
                return function(selection, layout, *args)
            key = (name, selection, layout, *args[:keyed])
            if key not in memo:
                memo[key] = function(selection, layout, *args)
            return memo[key]

        return memoised

    return wrap


@_memoised("shared")
def shared_totals(selection, layout):
    """(overview, totals, people, shared): the per-group figures and the protected totals
    every meldingen figure starts from."""
    overview = agg.overview(selection)
    groups = layout.groups
    totals = {g: overview.get(g, {}).get("total", 0) for g in groups}
    people = {g: overview.get(g, {}).get("people", 0) for g in groups}
    return overview, totals, people, protected_totals(totals, layout, people)


@_memoised("positions")
def position_table(selection, layout, common):
    """The protected meldingen per position; the gender × position table pins its cells."""
    positions, position_people = agg.by_position(selection)
    return tabulate(
        positions,
        POSITION_KEYS,
        layout,
        applies=position_applies,
        persons=position_people,
        **common,
    )


@_memoised("months")
def month_table(selection, layout, common):
    """The protected meldingen per month, with each quarter of the period as the subtotal
    of its months in the same problem (the quarter figure shows those cells)."""
    months, month_people = agg.by_month(selection)
    _quarter_counts, quarter_people = quarter_agg.by_quarter(selection)
    quarters = {}
    for m in selection.months:
        quarters.setdefault(quarter_key(quarter_agg.quarter_of(m)), []).append(m)
    return tabulate(
        months,
        selection.months,
        layout,
        persons=month_people,
        subtotals=quarters,
        subtotal_persons={(g, quarter_key(q)): n for (g, q), n in quarter_people.items()},
        **common,
    )


def quarter_key(quarter):
    """A quarter's key in the month table (its first day is also a month's key)."""
    return ("quarter", quarter)


@_memoised("yes_no", keyed=1)
def yes_no_table(selection, layout, field):
    """The protected yes/no split of the meldingen by ``field`` of the overview
    ("aangifte", "escalated", "acknowledged"); the quarter figure pins its rows."""
    overview, totals, people, shared = shared_totals(selection, layout)
    split = {}
    for g in layout.groups:
        yes = overview.get(g, {}).get(field, 0)
        split[(g, "yes")] = yes
        split[(g, "no")] = totals[g] - yes
    return tabulate(
        split, ["yes", "no"], layout, forced=forced_totals(shared), total_persons=people
    )


def figures(selection, layout):
    _overview, totals, people, shared = shared_totals(selection, layout)
    forced = forced_totals(shared)
    common = {"forced": forced, "total_persons": people}
    result = []

    result.append(
        count_figure(
            month_table(selection, layout, common),
            {m: month_label(m) for m in selection.months},
            slug="meldingen-per-maand",
            title=_("Meldingen per maand"),
            description=_("Aantal verstuurde meldingen per maand van verzending."),
            key_header=_("Maand"),
            column=COUNT,
            chart="line",
        )
    )
    categories, category_people = agg.by_category(selection)
    result.append(
        count_figure(
            tabulate(
                categories,
                Category.values,
                layout,
                totals=totals,
                additive=False,
                persons=category_people,
                **common,
            ),
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
        )
    )
    channels, channel_people = agg.by_channel(selection)
    result.append(
        count_figure(
            tabulate(channels, [*Channel.values, ""], layout, persons=channel_people, **common),
            {**dict(Channel.choices), "": UNKNOWN_CHANNEL},
            slug="meldingen-per-kanaal",
            title=_("Meldingen per kanaal"),
            description=_("Hoe het voorval de melder bereikte."),
            key_header=_("Kanaal"),
            column=COUNT,
        )
    )
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
        cell = shared.cells.get((view, "__total__"))
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
        row, total = yes_no_table(selection, layout, field).row()
        yes_cell = dict(row)["yes"]
        cells[field] = yes_cell
        rows.append(Row(label, [yes_cell, share(yes_cell, total)], field))
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
