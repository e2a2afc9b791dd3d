"""CSV of every table and the PDF report, opened and read back."""

import csv
import io

import pytest
from pypdf import PdfReader

from weerbaar.constants import AuditAction, Role
from weerbaar.models import AuditEvent

from .conftest import PERIOD

pytestmark = pytest.mark.django_db


def read_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_every_table_on_the_page_downloads_as_the_same_csv(data, analyst, client_for):
    client = client_for(analyst)
    monitor = client.get("/monitor/", PERIOD).context["monitor"]
    slugs = [f.slug for f in monitor.figures()]
    assert len(slugs) == 16  # 12, and (issue 23) two gender tables, rates, quarters
    for figure in monitor.figures():
        response = client.get(f"/monitor/{figure.slug}.csv", PERIOD)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
        rows = read_csv(response)
        header, body = figure.table()
        assert rows[0] == [str(h) for h in header]
        assert rows[1 : 1 + len(body)] == [[str(c) for c in row] for row in body]


def test_csv_holds_the_hand_counted_numbers_and_the_suppression(data, analyst, client_for):
    rows = read_csv(client_for(analyst).get("/monitor/meldingen-per-functie.csv", PERIOD))
    table = {row[0]: row[1] for row in rows if len(row) == 2}
    assert table["Raadslid"] == "13"
    assert table["Burgemeester"] == "×"
    assert table["Wethouder"] == "×"
    assert table["Totaal"] == "19"


def test_csv_export_is_audited_without_numbers(data, analyst, client_for):
    client_for(analyst).get("/monitor/meldingen-per-maand.csv", PERIOD)
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, actor=analyst)
    assert event.detail["figure"] == "meldingen-per-maand"
    assert event.detail["period"] == "2026" and event.detail["from"] == "2026-01-01"


def test_unknown_table_is_404(data, analyst, client_for):
    assert client_for(analyst).get("/monitor/bestaat-niet.csv").status_code == 404


def test_pdf_report_holds_every_section_with_the_protected_numbers(data, analyst, client_for):
    response = client_for(analyst).get("/monitor/rapport.pdf", PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Periode\n2026" in text
    for title in (
        "Meldingen per maand",
        "Meldingen per functie van de melder",
        "Wachttijd tot intake en tot advies",
        "Uitgevoerde maatregelen en kosten per jaar",
        "Bereik van de ronde: Ronde 2026",
    ):
        assert title in text
    assert "Raadslid 13" in text
    assert "Burgemeester ×" in text
    assert "Vrije tekst" not in text
    assert "Geheimelaan" not in text
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=analyst).exists()


def test_griffiers_pdf_is_about_their_own_organisation(data, gemeente_a, user_factory, client_for):
    client = client_for(user_factory(Role.GRIFFIER, gemeente_a))
    response = client.get("/monitor/rapport.pdf", PERIOD)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Cijfers van Utrecht" in text
    assert "Meldingen per provincie" not in text
