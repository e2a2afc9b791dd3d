"""Server-rendered SVG charts: the geometry is computed here, the templates only draw it.

Colours are the Okabe–Ito palette (distinguishable with every common colour-vision
deficiency) given as SVG presentation attributes, which the strict CSP allows and
WeasyPrint understands; colour is never the only cue: every bar and every line end carries
its value or name as text, the second series is hatched or dashed with square markers, and
each chart is followed by its data table."""

from dataclasses import dataclass

__all__ = ["PALETTE", "bar_chart", "chart_for", "line_chart"]

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")
DASHES = ("", "6 4")
BAR_WIDTH = 400
LABEL_SPACE = 110
LINE_WIDTH = 420
LINE_HEIGHT = 230
MARGIN = {"left": 40, "right": 16, "top": 14, "bottom": 34}


@dataclass
class Series:
    index: int
    name: str
    colour: str
    dash: str
    hatched: bool


def _series(figure):
    return [
        Series(i, str(figure.columns[col]), PALETTE[i % 4], DASHES[i % 2], i % 2 == 1)
        for i, col in enumerate(figure.series)
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
    step = _nice_step(value, unit)
    if unit == "%":
        return 100
    return step * max(1, -(-value // step)) if value > 0 else step


def bar_chart(figure):
    """Horizontal bars, one group per row: the row label above, a bar per series below,
    the published value as text at the end of each bar (or instead of it, "< 5")."""
    series = _series(figure)
    numbers = [r.values[col].number for r in figure.rows for col in figure.series]
    top = max([n for n in numbers if n is not None] or [0])
    scale = (BAR_WIDTH - LABEL_SPACE) / _nice_max(top, figure.unit) if top else 0
    bars, y = [], 0
    legend = []
    if len(series) > 1:
        for s in series:
            legend.append({"series": s, "y": y, "text_y": y + 11})
            y += 18
        y += 8
    for row in figure.rows:
        group = {"label": row.label, "label_y": y + 13, "bars": []}
        y += 18
        for s, col in zip(series, figure.series, strict=True):
            value = row.values[col]
            width = round((value.number or 0) * scale, 1)
            group["bars"].append(
                {
                    "series": s,
                    "y": y,
                    "width": width,
                    "text_x": round(width + 6, 1),
                    "text_y": y + 11,
                    "text": value.display,
                    "suppressed": value.number is None,
                }
            )
            y += 16
        y += 8
        bars.append(group)
    return {
        "kind": "bar",
        "width": BAR_WIDTH,
        "height": max(y, 20),
        "groups": bars,
        "series": series,
        "legend": legend,
    }


def line_chart(figure):
    """Lines over time with gaps where a value is not published, markers at every point
    (circles for the first series, squares for the second), the name of each series at
    its last point and a few month labels on the axis."""
    series = _series(figure)
    rows = figure.rows
    plot_w = LINE_WIDTH - MARGIN["left"] - MARGIN["right"]
    plot_h = LINE_HEIGHT - MARGIN["top"] - MARGIN["bottom"]
    numbers = [r.values[col].number for r in rows for col in figure.series]
    top = _nice_max(max([n for n in numbers if n is not None] or [0]), figure.unit)
    step = plot_w / max(len(rows) - 1, 1)

    def point(i, n):
        return (
            round(MARGIN["left"] + i * step, 1),
            round(MARGIN["top"] + plot_h - plot_h * n / top, 1),
        )

    lines = []
    for s, col in zip(series, figure.series, strict=True):
        segments, current, markers, last = [], [], [], None
        for i, row in enumerate(rows):
            n = row.values[col].number
            if n is None:
                if current:
                    segments.append(current)
                current = []
                continue
            x, y = point(i, n)
            current.append(f"{x},{y}")
            markers.append({"x": x, "y": y, "x0": x - 3.5, "y0": y - 3.5})
            last = (x, y)
        if current:
            segments.append(current)
        label = None
        if last:
            # Above the end of the first line, below the end of the second.
            offset = -10 if s.index == 0 else 22
            label = {"x": last[0], "y": max(last[1] + offset, 12), "text": s.name}
        lines.append(
            {
                "series": s,
                "segments": [" ".join(seg) for seg in segments],
                "markers": markers,
                "label": label,
            }
        )
    every = max(1, -(-len(rows) // 4))
    ticks_x = [
        {"x": point(i, 0)[0], "text": row.label} for i, row in enumerate(rows) if i % every == 0
    ]
    step = _nice_step(top, figure.unit)
    ticks_y = []
    for k in range(round(top / step) + 1):
        value = step * k
        text = f"{value:g}{'%' if figure.unit == '%' else ''}"
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
        "series": series,
        "gaps": any(n is None for n in numbers),
    }


def chart_for(figure):
    """The chart of a figure, or None when there is nothing to draw (no rows, or every
    value hidden: an empty axis would only suggest zeros)."""
    if not figure.chart or not figure.rows:
        return None
    if all(r.values[col].number is None for r in figure.rows for col in figure.series):
        return None
    if figure.chart == "line":
        return line_chart(figure)
    return bar_chart(figure)
