"""Helpers shared by the section builders: labels, the shared totals decision and the
one-column count figure."""

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ..figures import Figure, Row
from ..hierarchy import TOTAL, tabulate

__all__ = [
    "count_figure",
    "forced_totals",
    "month_label",
    "protected_totals",
]

TOTAL_LABEL = _("Totaal")


def month_label(month):
    return date_format(month, "M Y")


def protected_totals(totals, layout, people=None):
    """Protect the per-group totals once; every figure over the same population then
    starts from these hidden totals, so no two figures disagree about a total."""
    return tabulate(
        {(g, "n"): n for g, n in totals.items()},
        ["n"],
        layout,
        persons=None if people is None else {(g, "n"): n for g, n in people.items()},
        total_persons=people,
    )


def forced_totals(table):
    return {pos for pos, cell in table.cells.items() if pos[1] == TOTAL and cell.suppressed}


def count_figure(table, labels, *, slug, title, description, key_header, column, **kwargs):
    """A figure of one count per key, in the order of ``labels`` ({key: label}), with the
    total row when the keys add up."""
    cells, total = table.row()
    show_total = kwargs.pop("show_total", True)
    rows = [Row(labels.get(key, str(key)), [cell], key) for key, cell in cells]
    return Figure(
        slug=slug,
        title=title,
        description=description,
        key_header=key_header,
        columns=[column],
        rows=rows,
        total=Row(TOTAL_LABEL, [total]) if show_total else None,
        **kwargs,
    )
