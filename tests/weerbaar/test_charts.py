"""The portal's one chart renderer (``weerbaar.charts``): well-formed SVG that names
itself to a screen reader, draws only published values, and draws a single month."""

import re
import xml.etree.ElementTree as ET

import pytest

from weerbaar.charts import Chart, Series, Value, render

SVG = "{http://www.w3.org/2000/svg}"


def chart(values, *, second=None, labels=None, **kwargs):
    labels = labels or [f"Maand {i + 1}" for i in range(len(values))]
    series = [Series("Voorgesprek", [Value(v, "–" if v is None else str(v)) for v in values])]
    if second is not None:
        series.append(Series("Sessie", [Value(v, str(v)) for v in second]))
    options = {"ident": "proef", "title": "Bereik per maand", "description": "Uitleg"}
    return Chart(labels=labels, series=series, **{**options, **kwargs})


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_chart_is_valid_svg_with_a_title_and_a_description(kind):
    rendered = render(chart([3, 8, None, 12], second=[1, 2, 3, 4]), kind)
    root = ET.fromstring(rendered.svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Bereik per maand" and desc.text == "Uitleg"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert root.get("viewBox").startswith("0 0 ")
    assert not re.search(r"\sstyle=", rendered.svg)  # strict CSP: no inline style


def test_a_description_on_the_page_is_referenced_instead_of_repeated():
    root = ET.fromstring(render(chart([3, 8]), "bar").svg)
    assert root.find(f"{SVG}desc") is not None
    root = ET.fromstring(render(chart([3, 8], described_by="elders"), "bar").svg)
    assert root.find(f"{SVG}desc") is None
    assert root.get("aria-labelledby") == "proef-svg-title elders"


def test_one_month_of_data_draws_a_marked_and_named_point():
    rendered = render(chart([7], labels=["jan 2026"]), "line")
    root = ET.fromstring(rendered.svg)
    circles = root.findall(f".//{SVG}circle")
    assert len(circles) == 1
    # In the middle of the axis, not at its edge, at the height of its value.
    left, right = rendered.geometry["left"], rendered.geometry["right"]
    assert left < float(circles[0].get("cx")) < right
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "jan 2026" in texts and "Voorgesprek" in texts


def test_one_month_of_data_draws_a_bar_with_its_value():
    root = ET.fromstring(render(chart([7], labels=["jan 2026"]), "bar").svg)
    bars = [r for r in root.findall(f"{SVG}rect") if float(r.get("width")) > 24]
    assert len(bars) == 1
    assert "7" in [t.text for t in root.iter(f"{SVG}text")]


def test_a_hidden_value_is_written_not_drawn():
    rendered = render(chart([20, None, 10]), "bar")
    root = ET.fromstring(rendered.svg)
    bars = root.findall(f"{SVG}rect")
    assert len(bars) == 2
    assert "–" in [t.text for t in root.iter(f"{SVG}text")]


def test_nothing_is_drawn_without_published_values():
    assert render(chart([None, None]), "line") is None
    assert render(chart([], labels=[]), "bar") is None
