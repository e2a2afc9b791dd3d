"""The registration export of the triage dashboard, as CSV and as XLSX, for the
organisation's own incident registry (GIR, ARO; docs/registration-export.md maps every
column). One query, read in chunks from a server-side cursor: the file is written while the
rows arrive, never held whole in memory.

The columns follow the seven W's of the police's information form (wie, wat, waar, waarmee,
op welke wijze, wanneer, waarom) as structured values, then the aangifte and the follow-up.
The reporter's free text (what happened, about the perpetrator, witnesses) is added only when
the user chooses it on the export form; the view audits that choice."""

import codecs
import csv
import tempfile
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..constants import (
    CATEGORY_SEVERITY,
    SEVERITY_RANK,
    AftercareKind,
    Category,
    PerpetratorActionKind,
    Severity,
)
from ..models import AftercareAction, PerpetratorAction
from .categories import CATEGORY_LIST, keyed_list, split_keyed

__all__ = ["COLUMNS", "TEXT_COLUMNS", "csv_chunks", "export_queryset", "rows", "xlsx_file"]

CHUNK = 500
# A cell a spreadsheet would read as a formula (or as the start of one) gets a leading
# apostrophe: Excel and LibreOffice then show it as text (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = "text"  # text, date, datetime, time
    width: int = 18


# The headers are lazy: worded when the file is written, in the user's language.
COLUMNS = [
    Column("reference", _("Kenmerk"), width=11),
    Column("submitted", _("Datum melding"), "datetime", 17),
    Column("status", _("Status"), width=14),
    Column("severity", _("Ernst"), width=16),
    Column("who_position", _("Wie: functie slachtoffer"), width=24),
    Column("who_about", _("Wie: slachtoffer"), width=20),
    Column("who_organisation", _("Wie: organisatie"), width=24),
    Column("who_perpetrator", _("Wie: pleger"), width=12),
    Column("who_family", _("Wie: gezin of familie betrokken"), width=12),
    Column("what", _("Wat: soort incident"), width=28),
    Column("where", _("Waar"), width=20),
    Column("channel", _("Waarmee: kanaal"), width=18),
    Column("how", _("Op welke wijze: categorieën"), width=40),
    Column("when_date", _("Wanneer: datum"), "date", 12),
    Column("when_time", _("Wanneer: tijd"), "time", 8),
    Column("why", _("Waarom"), width=30),
    Column("aangifte_status", _("Aangifte: status"), width=14),
    Column("aangifte_filer", _("Aangifte: door"), width=20),
    Column("aangifte_date", _("Aangifte: datum"), "date", 12),
    Column("aangifte_number", _("Aangifte: registratienummer"), width=20),
    Column("aangifte_unit", _("Aangifte: politie-eenheid"), width=20),
    Column("vpt", _("ELA/VPT-status vermeld"), width=10),
    Column("measures", _("Maatregelen richting pleger"), width=40),
    Column("aftercare", _("Nazorg"), width=40),
    Column("closed", _("Datum afgesloten"), "datetime", 17),
]
# The reporter's own words: only when chosen on the export form.
TEXT_COLUMNS = [
    Column("description", _("Omschrijving (vrije tekst)"), width=60),
    Column("perpetrator_details", _("Over de pleger (vrije tekst)"), width=40),
    Column("witnesses", _("Getuigen (vrije tekst)"), width=40),
]
# The motive the registries ask for: the portal takes meldingen about the office only.
WHY = _("In verband met de publieke taak")

_FIELDS = (
    "status",
    "severity",
    "severity_proposal",
    "reporter_role",
    "reporter_position",
    "about",
    "perpetrator",
    "family_involved",
    "place",
    "channel",
    "occurred_at",
    "submitted_at",
    "closed_at",
    "organisation__name",
    "aangifte__status",
    "aangifte__filer",
    "aangifte__filed_on",
    "aangifte__registration_number",
    "aangifte__police_unit",
    "aangifte__vpt_mentioned",
)
_TEXT_FIELDS = ("description", "perpetrator_details", "witnesses")


def _dated(model):
    return keyed_list(model, Concat("kind", Value("|"), Cast("date", CharField())))


def export_queryset(queryset, *, with_text):
    """``queryset`` (already scoped and filtered) with everything the export writes in one
    query: the aangifte and organisation joined, categories and follow-up as aggregated
    columns. The free text is not even read unless it is written."""
    fields = _FIELDS + (_TEXT_FIELDS if with_text else ())
    return (
        queryset.select_related("organisation", "aangifte")
        .annotate(
            category_list=CATEGORY_LIST,
            measure_list=_dated(PerpetratorAction),
            aftercare_list=_dated(AftercareAction),
        )
        .only(*fields)
    )


def columns(with_text):
    return COLUMNS + TEXT_COLUMNS if with_text else COLUMNS


def _local(moment):
    """A naive local datetime: spreadsheets have no time zones."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _main_category(categories):
    """The most serious category (the first recorded among equals): the registries' one
    "soort incident"."""
    known = [c for c in categories if c in Category.values]
    if not known:
        return ""
    best = max(known, key=lambda c: (SEVERITY_RANK[CATEGORY_SEVERITY[c]], -known.index(c)))
    return str(Category(best).label)


def _dated_labels(joined, choices):
    # By date; rows of the same day in the order they were recorded (a stable sort).
    items = sorted((v.split("|", 1) for v in split_keyed(joined)), key=lambda kd: kd[1])
    return "; ".join(
        f"{choices(kind).label} ({day})" for kind, day in items if kind in choices.values
    )


def _yes_no(value):
    return gettext("Ja") if value else gettext("Nee")


def _severity(melding):
    if melding.severity:
        return melding.get_severity_display()
    if melding.severity_proposal:
        proposal = Severity(melding.severity_proposal).label
        return gettext("%(ernst)s (voorstel)") % {"ernst": proposal}
    return ""


def _values(melding, with_text):
    aangifte = getattr(melding, "aangifte", None)
    categories = split_keyed(melding.category_list)
    occurred = _local(melding.occurred_at)
    values = {
        "reference": melding.reference,
        "submitted": _local(melding.submitted_at),
        "status": melding.get_status_display(),
        "severity": _severity(melding),
        "who_position": str(melding.reporter_label),
        "who_about": melding.get_about_display(),
        "who_organisation": melding.organisation.name,
        "who_perpetrator": melding.get_perpetrator_display(),
        "who_family": _yes_no(melding.family_involved),
        "what": _main_category(categories),
        "where": melding.get_place_display(),
        "channel": melding.get_channel_display(),
        "how": "; ".join(str(Category(c).label) for c in categories if c in Category.values),
        "when_date": occurred.date() if occurred else None,
        "when_time": occurred.time().replace(second=0, microsecond=0) if occurred else None,
        "why": str(WHY),
        "aangifte_status": aangifte.get_status_display() if aangifte else "",
        "aangifte_filer": aangifte.get_filer_display() if aangifte else "",
        "aangifte_date": aangifte.filed_on if aangifte else None,
        "aangifte_number": aangifte.registration_number if aangifte else "",
        "aangifte_unit": aangifte.police_unit if aangifte else "",
        "vpt": _yes_no(aangifte.vpt_mentioned) if aangifte else "",
        "measures": _dated_labels(melding.measure_list, PerpetratorActionKind),
        "aftercare": _dated_labels(melding.aftercare_list, AftercareKind),
        "closed": _local(melding.closed_at),
    }
    if with_text:
        values.update({f: getattr(melding, f) for f in _TEXT_FIELDS})
    return values


def rows(queryset, *, with_text):
    """Each melding's values in column order, typed (dates as dates), read in chunks."""
    keys = [c.key for c in columns(with_text)]
    for melding in queryset.iterator(chunk_size=CHUNK):
        values = _values(melding, with_text)
        yield [values[k] for k in keys]


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "strftime"):  # a time
        return value.strftime("%H:%M")
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


class _Line:
    """A file-like target for csv.writer that hands back what was written."""

    def write(self, value):
        return value


def csv_chunks(row_iter, *, with_text):
    """The CSV as encoded chunks: UTF-8 with a byte order mark (so Excel reads the accents),
    semicolons (Dutch Excel's list separator), a header row of Dutch column names."""
    writer = csv.writer(_Line(), delimiter=";")
    yield codecs.BOM_UTF8 + writer.writerow([str(c.header) for c in columns(with_text)]).encode()
    buffer = []
    for row in row_iter:
        buffer.append(writer.writerow([_csv_cell(v) for v in row]))
        if len(buffer) >= CHUNK:
            yield "".join(buffer).encode()
            buffer = []
    if buffer:
        yield "".join(buffer).encode()


_NUMBER_FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm", "time": "hh:mm"}


def xlsx_file(row_iter, *, with_text):
    """The workbook in a temporary file (write-only mode: rows go to disk as they come),
    rewound for reading. Dates are date cells, the header row is frozen and bold, every
    column has a width. Text cells are always text, never formulas."""
    cols = columns(with_text)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=gettext("Meldingen"))
    sheet.freeze_panes = "A2"
    for index, column in enumerate(cols, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    bold = Font(bold=True)
    header = []
    for column in cols:
        cell = WriteOnlyCell(sheet, value=str(column.header))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    formats = [_NUMBER_FORMATS.get(c.kind) for c in cols]
    for row in row_iter:
        cells = []
        for value, number_format in zip(row, formats, strict=True):
            cell = WriteOnlyCell(sheet, value=value)
            if number_format and value is not None:
                cell.number_format = number_format
            elif isinstance(value, str):
                # openpyxl takes a string starting with "=" for a formula: this one is text.
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    # Closed by the FileResponse that streams it (and deleted by the system on close).
    target = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(target)
    target.seek(0)
    return target
