"""What a figure is once protected: a titled table of published values, with the hint of
how to draw it. The page, the CSV export and the PDF all render this one structure, so
they cannot disagree about what is hidden."""

from dataclasses import dataclass, field

from django.utils.formats import number_format

from .suppression import Cell

__all__ = ["NOT_SHOWN", "Figure", "Row", "Text", "days", "hours", "money", "share"]


@dataclass(frozen=True)
class Text:
    """A derived value (share, duration, amount): ``number`` for the chart, ``display``
    for the table; ``number`` is None when the value is not published."""

    display: str
    number: float | None = None

    @property
    def suppressed(self):
        return self.number is None


NOT_SHOWN = Text("–")


def share(part, whole):
    """``part`` as a percentage of ``whole`` when both cells are published."""
    if part.suppressed or whole.suppressed or not whole.value:
        return NOT_SHOWN
    pct = 100 * part.value / whole.value
    return Text(f"{number_format(round(pct, 1), 1)}%", pct)


def _duration(value, per, unit, visible):
    if not visible or value is None:
        return NOT_SHOWN
    amount = value.total_seconds() / per
    return Text(f"{number_format(round(amount, 1), 1)} {unit}", amount)


def days(value, visible=True):
    return _duration(value, 86400, "dagen", visible)


def hours(value, visible=True):
    return _duration(value, 3600, "uur", visible)


def money(value, visible=True):
    if not visible or value is None:
        return NOT_SHOWN
    return Text(f"€ {number_format(value, 0, force_grouping=True)}", float(value))


@dataclass
class Row:
    label: str
    values: list
    key: object = None


@dataclass
class Figure:
    """``columns``: headers of the value columns; ``chart``: "bar", "line" or "";
    ``series``: the value columns the chart draws."""

    slug: str
    title: str
    description: str
    key_header: str
    columns: list
    rows: list
    total: Row | None = None
    chart: str = "bar"
    series: list = field(default_factory=lambda: [0])
    unit: str = ""
    note: str = ""

    @property
    def has_data(self):
        return bool(self.rows)

    @property
    def has_suppressed(self):
        rows = [*self.rows, *([self.total] if self.total else [])]
        return any(isinstance(v, Cell) and v.suppressed for r in rows for v in r.values)

    def table(self):
        """Header and rows as the strings that are published."""
        header = [self.key_header, *self.columns]
        body = [[r.label, *(v.display for v in r.values)] for r in self.rows]
        if self.total is not None:
            body.append([self.total.label, *(v.display for v in self.total.values)])
        return header, body
