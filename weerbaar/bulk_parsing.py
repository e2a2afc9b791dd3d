"""Reading a list of people (name, email, position, optional start date) from what a
griffier has: a CSV export (semicolons from Dutch Excel, commas elsewhere, a BOM, Windows
encoding), an XLSX workbook, or lines pasted from anywhere. Everything becomes the same
``Row``s, and the rows can be written back as text (``to_text``), so the preview can show
an uploaded file as text the user corrects in place instead of uploading it again."""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "ListError",
    "Row",
    "parse_file",
    "parse_text",
    "to_text",
]

MAX_ROWS = 2000
MAX_BYTES = 1_000_000
COLUMNS = ("name", "email", "position", "start")
HEADERS = {
    "name": {"naam", "name", "volledige naam", "voornaam en achternaam"},
    "email": {"e-mail", "email", "e-mailadres", "emailadres", "mail", "e-mail adres"},
    "position": {"functie", "positie", "rol", "position", "role"},
    "start": {"startdatum", "start", "ingangsdatum", "vanaf", "datum", "start date", "begin"},
}
DELIMITERS = (";", "\t", ",")


class ListError(ValueError):
    """The list as a whole cannot be read (too big, not a spreadsheet, empty)."""


@dataclass
class Row:
    number: int
    name: str = ""
    email: str = ""
    position_text: str = ""
    start_text: str = ""
    extra: bool = False  # more non-empty columns than the four
    # Filled in by validation:
    role: str = ""
    position: str = ""
    valid_from: date | None = None
    errors: list = field(default_factory=list)

    @property
    def is_valid(self):
        return not self.errors


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _normal(header):
    return " ".join(header.strip().lower().replace("_", " ").split())


def _column_map(first):
    """Which column holds what, when the first row is a header; else None."""
    found = {}
    for index, value in enumerate(first):
        for key, names in HEADERS.items():
            if _normal(value) in names and key not in found:
                found[key] = index
    if "email" not in found:
        return None
    # A column the header does not name sits where the four usually are, if that is free.
    for index, key in enumerate(COLUMNS):
        if key not in found and index not in found.values():
            found[key] = index
    return found


def _rows(cells):
    cells = [[_cell(v) for v in line] for line in cells]
    cells = [line for line in cells if any(line)]
    if not cells:
        raise ListError(_("De lijst is leeg. Plak een lijst of kies een bestand."))
    columns = _column_map(cells[0])
    if columns is not None:
        cells = cells[1:]
    else:
        columns = {key: index for index, key in enumerate(COLUMNS)}
    if len(cells) > MAX_ROWS:
        raise ListError(
            _("De lijst heeft meer dan %(max)s regels. Verdeel hem over meer lijsten.")
            % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
        )
    used = set(columns.values())
    rows = []
    for number, line in enumerate(cells, start=1):
        values = {key: line[i] if i < len(line) else "" for key, i in columns.items()}
        rows.append(
            Row(
                number=number,
                name=values.get("name", ""),
                email=values.get("email", ""),
                position_text=values.get("position", ""),
                start_text=values.get("start", ""),
                extra=any(v for i, v in enumerate(line) if i not in used),
            )
        )
    if not rows:
        raise ListError(_("De lijst heeft alleen een kopregel. Zet er mensen onder."))
    return rows


def _delimiter(text):
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ";"


def parse_text(text):
    """Rows from pasted or CSV text; the delimiter is the one the first line uses most."""
    if len(text.encode()) > MAX_BYTES:
        raise ListError(_("De lijst is groter dan 1 MB. Verdeel hem over meer lijsten."))
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    return _rows(list(reader))


def _decode(data):
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel in Dutch saves "CSV (gescheiden door lijstscheidingsteken)" as Windows-1252.
        return data.decode("cp1252", errors="replace")


def _xlsx(data):
    """The first sheet's values. ``data_only``: a formula cell gives its last computed
    value, never the formula; only as many rows and columns as a list may have are read,
    however large the sheet claims to be."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ListError(
            _("Dit Excel-bestand kunnen we niet lezen. Sla het op als .xlsx of als .csv.")
        ) from error
    try:
        sheet = book.worksheets[0]
        cells = list(sheet.iter_rows(max_row=MAX_ROWS + 2, max_col=8, values_only=True))
    finally:
        book.close()
    if sheet.max_row and sheet.max_row > MAX_ROWS + 2 and len(cells) > MAX_ROWS:
        raise ListError(
            _("De lijst heeft meer dan %(max)s regels. Verdeel hem over meer lijsten.")
            % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
        )
    return cells


def parse_file(upload):
    """Rows from an uploaded file (CSV or XLSX), by its content, not only its name."""
    if upload.size > MAX_BYTES:
        raise ListError(_("Het bestand is groter dan 1 MB. Verdeel de lijst over meer bestanden."))
    data = upload.read(MAX_BYTES + 1)
    name = (upload.name or "").lower()
    if data.startswith(b"PK\x03\x04"):
        return _rows(_xlsx(data))
    if name.endswith((".xls", ".ods", ".numbers")) or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ListError(
            _("Dit soort bestand kunnen we niet lezen. Sla de lijst op als .xlsx of als .csv.")
        )
    if b"\x00" in data[:4096]:
        raise ListError(
            _("Dit bestand is geen tekst of Excel-bestand. Sla de lijst op als .xlsx of .csv.")
        )
    return parse_text(_decode(data))


def to_text(rows):
    """The rows as semicolon-separated text with a header, to correct in the preview."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["naam", "e-mailadres", "functie", "startdatum"])
    for row in rows:
        writer.writerow([row.name, row.email, row.position_text, row.start_text])
    return out.getvalue()
