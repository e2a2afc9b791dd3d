"""The Veilig Wonen section."""

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from veiligwonen.constants import URGENCY_ORDER, UrgencyClass

from ..aggregates import veiligwonen as agg
from ..figures import Figure, Row, Text, days, money
from ..hierarchy import tabulate
from .common import (
    count_figure,
    forced_totals,
    memoised,
    per_period,
    protected_totals,
)
from .meldingen import month_figure

__all__ = ["figures"]

COUNT = _("Aanvragen")
CLASSES = [c.value for c in URGENCY_ORDER]


@memoised("veilig-wonen")
def tables(selection, layout):
    """The year's cube of the applications: (totals, per urgency class, intake held and
    advice issued per class, applications with executed measures per year)."""
    urgency, waits = per_period(agg.by_urgency_and_waits, selection, layout)
    intake, advice = waits["intake"], waits["advice"]
    totals = {(p, g): 0 for p in layout.periods for g in layout.groups}
    for (g, _key), n in urgency.items():
        totals[g] = totals.get(g, 0) + n
    shared = protected_totals(totals, layout)
    forced = forced_totals(shared)
    costs = per_period(agg.costs_by_year, selection, layout)
    return (
        shared,
        tabulate(urgency, CLASSES, layout, forced=forced),
        tabulate(intake, CLASSES, layout),
        tabulate(advice, CLASSES, layout),
        costs,
        tabulate(
            {key: r["applications"] for key, r in costs.items()},
            sorted({year for _g, year in costs}),
            layout,
        ),
    )


def figures(selection, layout):
    shared, urgency, intake, advice, costs, applications = tables(selection, layout)
    return [
        month_figure(
            selection,
            layout,
            shared,
            slug="veilig-wonen-per-maand",
            title=_("Aanvragen Veilig Wonen per maand"),
            description=_("Aantal ingediende aanvragen per maand van indiening."),
            column=COUNT,
        ),
        count_figure(
            urgency,
            dict(UrgencyClass.choices),
            slug="veilig-wonen-per-urgentie",
            title=_("Aanvragen Veilig Wonen per urgentieklasse"),
            description=_("De urgentieklasse zoals die nu geldt (na de intake)."),
            key_header=_("Urgentieklasse"),
            column=COUNT,
        ),
        _waiting(selection, intake, advice),
        _costs(layout, costs, applications),
    ]


def _waiting(selection, intake_table, advice_table):
    """Per class: how many waited, and the median and 90th percentile of the wait. A
    percentile is published only where the number it is taken over is published."""
    per_class, overall = agg.wait_times(selection)
    intake_cells, intake_total = intake_table.row()
    advice_cells, advice_total = advice_table.row()
    intake, advice = dict(intake_cells), dict(advice_cells)
    labels = dict(UrgencyClass.choices)

    def row(label, n_intake, n_advice, times, key):
        times = times or {}
        shown_i, shown_a = not n_intake.suppressed, not n_advice.suppressed
        return Row(
            label,
            [
                n_intake,
                days(times.get("intake_median"), shown_i),
                days(times.get("intake_p90"), shown_i),
                n_advice,
                days(times.get("advice_median"), shown_a),
                days(times.get("advice_p90"), shown_a),
            ],
            key,
        )

    return Figure(
        slug="veilig-wonen-wachttijd",
        title=_("Wachttijd tot intake en tot advies"),
        description=_(
            "Kalenderdagen van indiening tot het intakegesprek en tot het uitgebrachte "
            "advies, voor aanvragen ingediend in de periode."
        ),
        key_header=_("Urgentieklasse"),
        columns=[
            _("Intake gehouden"),
            _("Mediaan tot intake"),
            _("90e percentiel tot intake"),
            _("Advies uitgebracht"),
            _("Mediaan tot advies"),
            _("90e percentiel tot advies"),
        ],
        rows=[
            row(labels[c], intake[c], advice[c], per_class.get(c), c)
            for c in CLASSES
            if c in intake
        ],
        total=row(_("Alle klassen"), intake_total, advice_total, overall, None),
        series=[1, 4],
        unit=_("dagen"),
    )


def _costs(layout, data, apps):
    """Executed measures per year of completion. The applications (people) behind a year
    decide whether its measures and costs are published."""
    cells, total = apps.row()
    members = set(layout.members(layout.selected))
    rows = []
    for year, cell in cells:
        in_view = [r for (g, y), r in data.items() if y == year and g in members]
        visible = not cell.suppressed
        rows.append(
            Row(
                str(year),
                [
                    cell,
                    _plain_count(sum(r["measures"] for r in in_view), visible),
                    money(sum((r["cost"] or 0) for r in in_view), visible),
                ],
                year,
            )
        )
    return Figure(
        slug="veilig-wonen-maatregelen",
        title=_("Uitgevoerde maatregelen en kosten per jaar"),
        description=_(
            "Maatregelen die in de periode zijn uitgevoerd, met de werkelijke kosten, "
            "per jaar van uitvoering."
        ),
        key_header=_("Jaar"),
        columns=[_("Aanvragen (per jaar)"), _("Maatregelen"), _("Kosten")],
        rows=rows,
        series=[2],
        unit="€",
        total=None if not rows else Row(_("Totaal"), [total, *_sum_row(data, members, total)]),
    )


def _plain_count(n, visible):
    return Text(number_format(n, force_grouping=True), n) if visible else Text("–")


def _sum_row(data, members, total):
    visible = not total.suppressed
    rows = [r for (g, _y), r in data.items() if g in members]
    return [
        _plain_count(sum(r["measures"] for r in rows), visible),
        money(sum((r["cost"] or 0) for r in rows), visible),
    ]
