"""CSV of one table and the PDF report of the whole monitor. Both render the protected
figures, so an export never shows more than the page."""

import csv
import io

from django.utils.translation import gettext as _

from weerbaar.pdf import render_pdf

from .suppression import SYMBOL

__all__ = ["describe", "figure_csv", "filename", "report_pdf", "symbol_note"]


def symbol_note():
    """The one symbol explained, as the CSV and the page's legend say it."""
    return _(
        "%(symbol)s = afgeschermd: het aantal is klein (minder dan 5, ook 0, of van minder dan 5 "
        "personen), of het is verborgen zodat een klein aantal er niet uit kan worden "
        "teruggerekend. Het teken zegt niet welke van de twee."
    ) % {"symbol": SYMBOL}


def describe(selection):
    """What was exported, for the audit log: the selection, never a number."""
    return {
        "period": selection.period.code,
        "from": selection.start.isoformat(),
        "until": selection.end.isoformat(),
        "kind": selection.kind,
        "province": selection.province.pk if selection.province else None,
    }


def filename(selection, name):
    return f"monitor-{name}-{selection.period.code}"


def figure_csv(figure):
    """The published table with a byte-order mark and semicolons, as Dutch Excel opens
    it; the explanation of the symbols follows the table."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    header, rows = figure.table()
    writer.writerow([str(h) for h in header])
    writer.writerows([[str(c) for c in row] for row in rows])
    writer.writerow([])
    writer.writerow([symbol_note()])
    return buffer.getvalue()


def report_pdf(request, context):
    return render_pdf("monitor/pdf/report.html", {**context, "request": request})
