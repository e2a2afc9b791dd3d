"""The one chart renderer of the portal: server-rendered SVG, no JavaScript.

An app describes what to draw as a :class:`Chart` (category labels and one or more
series of values, each value with the text the page publishes for it); this module
computes the geometry and renders ``templates/charts/bar.svg`` or ``line.svg``. The
monitor, its report (HTML and PDF) and the OTWB coverage page all draw through here.

Accessibility: the SVG is ``role="img"`` with a ``<title>`` and a ``<desc>`` (or the id
of a description on the page) named by ``aria-labelledby``; every chart is followed by
its data table on the page. Colours are the Okabe–Ito palette (distinguishable with
every common colour-vision deficiency) given as presentation attributes, which the
strict CSP allows and WeasyPrint understands; colour is never the only cue: every bar
and every line end carries its value or name as text, the second series is hatched or
dashed with square markers. The viewBox scales the drawing down to a 360 px screen."""

from dataclasses import dataclass, field

from django.template.loader import render_to_string

__all__ = ["PALETTE", "Chart", "Series", "Value", "bar_chart", "line_chart", "render"]

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")
DASHES = ("", "6 4")
BAR_WIDTH = 400
LABEL_SPACE = 110
LINE_WIDTH = 420
LINE_HEIGHT = 230
MARGIN = {"left": 40, "right": 16, "top": 14, "bottom": 34}


@dataclass(frozen=True)
class Value:
    """``number`` is what is drawn, ``text`` what is written; a value that is not
    published has ``number`` None and is written, never drawn."""

    number: float | None
    text: str


@dataclass(frozen=True)
class Series:
    name: str
    values: list


@dataclass(frozen=True)
class Chart:
    """``ident``: unique on the page, prefixes the SVG's ids; ``described_by``: the id of
    a description already on the page (otherwise ``description`` becomes the SVG's
    ``<desc>``); ``unit`` "%" draws the axis from 0 to 100."""

    ident: str
    title: str
    labels: list
    series: list
    description: str = ""
    described_by: str = ""
    unit: str = ""

    def numbers(self):
        return [v.number for s in self.series for v in s.values]


@dataclass
class _Style:
    index: int
    name: str
    colour: str
    dash: str
    hatched: bool


def _styles(chart):
    return [
        _Style(i, s.name, PALETTE[i % 4], DASHES[i % 2], i % 2 == 1)
        for i, s in enumerate(chart.series)
    ]


def _nice_step(value, unit):
    """A round step (1, 2 or 5 times a power of ten) that reaches ``value`` in at most
    five steps, so the axis reads 0, 5, 10, 15, 20, 25 rather than 6.25, 12.5."""
    if unit == "%":
        return 20
    if value <= 0:
        return 1
    magnitude = 1
    while True:
        for base in (1, 2, 5):
            if base * magnitude * 5 >= value:
                return base * magnitude
        magnitude *= 10


def _nice_max(value, unit):
    if unit == "%":
        return 100
    step = _nice_step(value, unit)
    return step * max(1, -(-value // step)) if value > 0 else step


def _top(chart):
    return max([n for n in chart.numbers() if n is not None] or [0])


def bar_chart(chart):
    """Horizontal bars, one group per label: the label above, a bar per series below,
    the published value as text at the end of each bar (or instead of it, "< 5")."""
    styles = _styles(chart)
    top = _top(chart)
    scale = (BAR_WIDTH - LABEL_SPACE) / _nice_max(top, chart.unit) if top else 0
    groups, legend, y = [], [], 0
    if len(styles) > 1:
        for style in styles:
            legend.append({"series": style, "y": y, "text_y": y + 11})
            y += 18
        y += 8
    for i, label in enumerate(chart.labels):
        group = {"label": label, "label_y": y + 13, "bars": []}
        y += 18
        for style, series in zip(styles, chart.series, strict=True):
            value = series.values[i]
            width = round((value.number or 0) * scale, 1)
            group["bars"].append(
                {
                    "series": style,
                    "y": y,
                    "width": width,
                    "text_x": round(width + 6, 1),
                    "text_y": y + 11,
                    "text": value.text,
                    "suppressed": value.number is None,
                }
            )
            y += 16
        y += 8
        groups.append(group)
    return {
        "kind": "bar",
        "width": BAR_WIDTH,
        "height": max(y, 20),
        "groups": groups,
        "series": styles,
        "legend": legend,
        "gaps": False,
    }


def line_chart(chart):
    """Lines over time with gaps where a value is not published, markers at every point
    (circles for the first series, squares for the second), the name of each series at
    its last point and a few labels on the axis. A single point stands in the middle of
    the axis, marked and named (a polyline of one point would draw nothing)."""
    styles = _styles(chart)
    count = len(chart.labels)
    plot_w = LINE_WIDTH - MARGIN["left"] - MARGIN["right"]
    plot_h = LINE_HEIGHT - MARGIN["top"] - MARGIN["bottom"]
    top = _nice_max(_top(chart), chart.unit)
    step = plot_w / max(count - 1, 1)
    start = MARGIN["left"] + (plot_w / 2 if count == 1 else 0)

    def point(i, n):
        return (
            round(start + i * step, 1),
            round(MARGIN["top"] + plot_h - plot_h * n / top, 1),
        )

    lines = []
    for style, series in zip(styles, chart.series, strict=True):
        segments, current, markers, last = [], [], [], None
        for i, value in enumerate(series.values):
            if value.number is None:
                if current:
                    segments.append(current)
                current = []
                continue
            x, y = point(i, value.number)
            current.append(f"{x},{y}")
            markers.append({"x": x, "y": y, "x0": x - 3.5, "y0": y - 3.5})
            last = (x, y)
        if current:
            segments.append(current)
        label = None
        if last:
            # Above the end of the first line, below the end of the second.
            offset = -10 if style.index == 0 else 22
            label = {"x": last[0], "y": max(last[1] + offset, 12), "text": style.name}
        lines.append(
            {
                "series": style,
                "segments": [" ".join(seg) for seg in segments if len(seg) > 1],
                "markers": markers,
                "label": label,
            }
        )
    every = max(1, -(-count // 4))
    ticks_x = [
        {"x": point(i, 0)[0], "text": label}
        for i, label in enumerate(chart.labels)
        if i % every == 0
    ]
    y_step = _nice_step(top, chart.unit)
    ticks_y = []
    for k in range(round(top / y_step) + 1):
        value = y_step * k
        text = f"{value:g}{'%' if chart.unit == '%' else ''}"
        ticks_y.append({"y": point(0, value)[1], "text": text})
    return {
        "kind": "line",
        "width": LINE_WIDTH,
        "height": LINE_HEIGHT,
        "left": MARGIN["left"],
        "right": LINE_WIDTH - MARGIN["right"],
        "axis_y": MARGIN["top"] + plot_h,
        "label_y": LINE_HEIGHT - 10,
        "lines": lines,
        "ticks_x": ticks_x,
        "ticks_y": ticks_y,
        "series": styles,
        "gaps": any(n is None for n in chart.numbers()),
    }


@dataclass
class Rendered:
    """What a page needs: the markup, the kind, and whether a line has gaps (the page
    then says what a gap means)."""

    kind: str
    svg: str
    gaps: bool = False
    geometry: dict = field(default_factory=dict)

    def __str__(self):
        return self.svg


def render(chart, kind="bar"):
    """The SVG of ``chart`` as a line or bar chart, or None when there is nothing to draw
    (no labels, or every value hidden: an empty axis would only suggest zeros)."""
    if not chart.labels or all(n is None for n in chart.numbers()):
        return None
    geometry = line_chart(chart) if kind == "line" else bar_chart(chart)
    svg = render_to_string(f"charts/{geometry['kind']}.svg", {"c": chart, "chart": geometry})
    return Rendered(geometry["kind"], svg, geometry["gaps"], geometry)
