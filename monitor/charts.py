"""A monitor figure as a chart of the portal's one renderer (``weerbaar.charts``): the
rows are the labels, the figure's ``series`` columns the series, and every value keeps
the text the table publishes, so a hidden count is written ("×"), never drawn."""

from weerbaar.charts import Chart, Series, Value, render

__all__ = ["chart_for", "chart_of"]


def chart_of(figure):
    return Chart(
        ident=figure.slug,
        title=str(figure.title),
        labels=[str(r.label) for r in figure.rows],
        series=[
            Series(
                str(figure.columns[col]),
                [Value(r.values[col].number, str(r.values[col].display)) for r in figure.rows],
            )
            for col in figure.series
        ],
        described_by=f"{figure.slug}-desc",
        unit=figure.unit,
    )


def chart_for(figure):
    """The rendered chart of a figure, or None when there is nothing to draw (no chart
    kind, no rows, or every value hidden)."""
    if not figure.chart or not figure.rows:
        return None
    return render(chart_of(figure), figure.chart)
