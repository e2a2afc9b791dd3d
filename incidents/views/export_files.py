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
    AangifteFiler,
    AangifteStatus,
    About,
    AftercareKind,
    Category,
    Channel,
    Perpetrator,
    PerpetratorActionKind,
    Place,
    Severity,
    Status,
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


class _Words:
    """The labels of one export, worded once in the user's language: translating a lazy
    label for every cell of 10,000 rows cost more than reading the rows."""

    def __init__(self):
        self.choices = {
            kind: {value: str(label) for value, label in kind.choices}
            for kind in (
                Status,
                Severity,
                About,
                Perpetrator,
                Place,
                Channel,
                Category,
                AangifteStatus,
                AangifteFiler,
                PerpetratorActionKind,
                AftercareKind,
            )
        }
        self.yes, self.no = gettext("Ja"), gettext("Nee")
        self.why = str(WHY)
        self.proposal = {
            value: gettext("%(ernst)s (voorstel)") % {"ernst": label}
            for value, label in self.choices[Severity].items()
        }
        self.positions = {}

    def label(self, kind, value):
        return self.choices[kind].get(value, "") if value else ""

    def yes_no(self, value):
        return self.yes if value else self.no

    def reporter(self, melding):
        key = (melding.reporter_role, melding.reporter_position)
        if key not in self.positions:
            self.positions[key] = str(melding.reporter_label)
        return self.positions[key]

    def severity(self, melding):
        if melding.severity:
            return self.label(Severity, melding.severity)
        return self.proposal.get(melding.severity_proposal, "")

    def main_category(self, categories):
        """The most serious category (the first recorded among equals): the registries'
        one "soort incident"."""
        known = [c for c in categories if c in self.choices[Category]]
        if not known:
            return ""
        best = max(known, key=lambda c: (SEVERITY_RANK[CATEGORY_SEVERITY[c]], -known.index(c)))
        return self.choices[Category][best]

    def dated(self, joined, kind):
        """``Label (yyyy-mm-dd)`` of each row, by date; rows of the same day in the order
        they were recorded (a stable sort)."""
        items = sorted((v.split("|", 1) for v in split_keyed(joined)), key=lambda kd: kd[1])
        labels = self.choices[kind]
        return "; ".join(f"{labels[k]} ({day})" for k, day in items if k in labels)


def _values(melding, words, with_text):
    aangifte = getattr(melding, "aangifte", None)
    categories = split_keyed(melding.category_list)
    category_labels = words.choices[Category]
    occurred = _local(melding.occurred_at)
    values = {
        "reference": melding.reference,
        "submitted": _local(melding.submitted_at),
        "status": words.label(Status, melding.status),
        "severity": words.severity(melding),
        "who_position": words.reporter(melding),
        "who_about": words.label(About, melding.about),
        "who_organisation": melding.organisation.name,
        "who_perpetrator": words.label(Perpetrator, melding.perpetrator),
        "who_family": words.yes_no(melding.family_involved),
        "what": words.main_category(categories),
        "where": words.label(Place, melding.place),
        "channel": words.label(Channel, melding.channel),
        "how": "; ".join(category_labels[c] for c in categories if c in category_labels),
        "when_date": occurred.date() if occurred else None,
        "when_time": occurred.time().replace(second=0, microsecond=0) if occurred else None,
        "why": words.why,
        "aangifte_status": words.label(AangifteStatus, aangifte.status) if aangifte else "",
        "aangifte_filer": words.label(AangifteFiler, aangifte.filer) if aangifte else "",
        "aangifte_date": aangifte.filed_on if aangifte else None,
        "aangifte_number": aangifte.registration_number if aangifte else "",
        "aangifte_unit": aangifte.police_unit if aangifte else "",
        "vpt": words.yes_no(aangifte.vpt_mentioned) if aangifte else "",
        "measures": words.dated(melding.measure_list, PerpetratorActionKind),
        "aftercare": words.dated(melding.aftercare_list, AftercareKind),
        "closed": _local(melding.closed_at),
    }
    if with_text:
        values.update({f: getattr(melding, f) for f in _TEXT_FIELDS})
    return values


def rows(queryset, *, with_text):
    """Each melding's values in column order, typed (dates as dates), read in chunks."""
    keys = [c.key for c in columns(with_text)]
    words = _Words()
    for melding in queryset.iterator(chunk_size=CHUNK):
        values = _values(melding, words, with_text)
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


def _xlsx_cell(sheet, value, number_format):
    """A plain value where openpyxl's own typing is right (it is most of the cells, and a
    plain value is written several times faster than a cell object); a cell where the
    format is ours or a text would be read as a formula."""
    if value is None or value == "":
        return None
    if number_format:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = number_format
        return cell
    if isinstance(value, str) and value.startswith("="):
        # openpyxl takes a string starting with "=" for a formula: this one is text.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


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
        sheet.append([_xlsx_cell(sheet, v, f) for v, f in zip(row, formats, strict=True)])
    # Closed by the FileResponse that streams it (and deleted by the system on close).
    target = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(target)
    target.seek(0)
    return target
