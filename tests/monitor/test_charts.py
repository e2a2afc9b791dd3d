"""The monitor's figures drawn through the portal's one renderer: suppressed values are
never drawn as a bar or a point, colour is never the only cue, and the markup carries no
inline style (strict CSP)."""

import re
import xml.etree.ElementTree as ET

from monitor.charts import chart_for
from monitor.figures import Figure, Row, Text
from monitor.suppression import Cell
from weerbaar.charts import PALETTE

SMALL, HIDDEN = "small", "hidden"
SVG = "{http://www.w3.org/2000/svg}"


def figure(values, chart="bar", series=(0,), columns=("Meldingen",), unit=""):
    rows = [Row(f"Rij {i}", v if isinstance(v, list) else [v]) for i, v in enumerate(values)]
    return Figure(
        slug="proef",
        title="Proef",
        description="Beschrijving",
        key_header="Rij",
        columns=list(columns),
        rows=rows,
        chart=chart,
        series=list(series),
        unit=unit,
    )


def test_bar_chart_draws_published_values_and_writes_suppressed_ones_as_text():
    chart = chart_for(figure([Cell(20), Cell(3, SMALL), Cell(10)]))
    bars = [g["bars"][0] for g in chart.geometry["groups"]]
    assert [b["suppressed"] for b in bars] == [False, True, False]
    assert bars[0]["width"] == 2 * bars[2]["width"]
    svg = chart.svg
    assert svg.split("</defs>")[1].count("<rect") == 2  # no bar for the hidden value
    assert "×" in svg
    assert 'role="img"' in svg and "<title" in svg
    assert not re.search(r"\sstyle=", svg)
    assert PALETTE[0] in svg


def test_chart_is_labelled_by_its_title_and_the_figure_description_on_the_page():
    root = ET.fromstring(str(chart_for(figure([Cell(20), Cell(10)]))))
    assert root.get("aria-labelledby") == "proef-svg-title proef-desc"
    assert root.find(f"{SVG}title").text == "Proef"


def test_second_series_is_hatched_and_named_not_only_coloured():
    fig = figure(
        [[Text("3 dagen", 3), Text("9 dagen", 9)]],
        series=(0, 1),
        columns=("Mediaan", "90e percentiel"),
    )
    svg = chart_for(fig).svg
    assert "url(#proef-hatch)" in svg
    assert "90e percentiel</text>" in svg  # named in the legend, next to its pattern
    assert "9 dagen" in svg


def test_line_chart_breaks_the_line_at_a_hidden_value():
    fig = figure([Cell(10), Cell(12), Cell(2, SMALL), Cell(9), Cell(11)], chart="line")
    chart = chart_for(fig)
    line = chart.geometry["lines"][0]
    assert len(line["segments"]) == 2
    assert len(line["markers"]) == 4
    assert chart.gaps
    svg = chart.svg
    assert svg.count("<polyline") == 2
    assert "Meldingen" in svg  # the series is named at its last point
    # Coordinates are written with a decimal point whatever the page language.
    assert not re.search(r'(cx|cy|y1|x1)="\d+,\d', svg)


def test_line_chart_of_shares_runs_from_zero_to_hundred_percent():
    fig = figure([Text("50%", 50.0), Text("60%", 60.0)], chart="line", unit="%")
    ticks = [t["text"] for t in chart_for(fig).geometry["ticks_y"]]
    assert ticks[0] == "0%" and ticks[-1] == "100%"


def test_no_chart_when_every_value_is_hidden():
    assert chart_for(figure([Cell(1, SMALL), Cell(2, SMALL)], chart="line")) is None
    assert chart_for(figure([Cell(1, SMALL), Cell(20)], chart="line")) is not None
