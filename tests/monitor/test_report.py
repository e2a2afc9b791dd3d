"""The report (issue 23 §3): a web page and a PDF of the same protected tables as the
monitor page, with the suppression note and the methods annex, for the same people."""

import io
import re
from html.parser import HTMLParser

import pytest
import time_machine
from pypdf import PdfReader

from monitor import report
from monitor.selection import KINDS, Period, Selection
from weerbaar.constants import AuditAction, Role
from weerbaar.models import AuditEvent, Organisation

from .conftest import NOW, PERIOD

pytestmark = pytest.mark.django_db


class Tables(HTMLParser):
    """Every <table> of a page as rows of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables, self.row, self.cell = [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join(self.cell.split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[-1].append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def tables(response):
    parser = Tables()
    parser.feed(response.content.decode())
    return parser.tables


def pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_report_page_shows_every_table_of_the_monitor_page(data, analyst, client_for):
    client = client_for(analyst)
    monitor = client.get("/monitor/", PERIOD).context["monitor"]
    response = client.get("/monitor/rapport/", PERIOD)
    assert response.status_code == 200
    expected = []
    for figure in monitor.figures():
        header, body = figure.table()
        expected.append([[str(h) for h in header], *[[str(c) for c in row] for row in body]])
    assert tables(response) == expected
    assert len(expected) == 16


def test_pdf_holds_exactly_the_figures_of_the_report_page(data, analyst, client_for):
    client = client_for(analyst)
    page = tables(client.get("/monitor/rapport/", PERIOD))
    text = pdf_text(client.get("/monitor/rapport.pdf", PERIOD))
    rows = [row for table in page for row in table]
    assert any("×" in row for row in rows)
    assert not any("< 5" in row or "x" in row for row in rows)
    for row in rows:
        assert " ".join(row) in text, row


def test_report_explains_suppression_and_methods_without_implementation_notes(
    data, analyst, client_for
):
    html = client_for(analyst).get("/monitor/rapport/", PERIOD).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "Een afgeschermd aantal staat er als ×" in text
    assert "Bijlage: verantwoording" in text
    assert "Gemelde voorvallen zijn geen prevalentie" in text
    assert "Gender is zelf opgegeven en niet verplicht" in text
    assert "Een referentietabel van zetels per organisatie is niet gebruikt" in text
    assert "PostgreSQL" not in text
    # Every chart names itself and is followed by its table.
    assert html.count('role="img"') >= 8
    assert 'href="/monitor/rapport.pdf?jaar=2026"' in html


def test_report_download_is_audited_with_the_selection_and_no_numbers(data, analyst, client_for):
    client_for(analyst).get("/monitor/rapport.pdf", {**PERIOD, "soort": "gemeente"})
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, actor=analyst)
    assert event.detail["export"] == "monitor.pdf"
    assert event.detail["kind"] == "gemeente"
    assert event.detail["period"] == "2026"
    assert event.detail["from"] == "2026-01-01" and event.detail["until"] == "2026-12-01"
    assert not any(str(v) in ("19", "13") for v in event.detail.values())


def test_another_gemeentes_griffier_gets_only_their_own_report_whatever_they_forge(
    data, gemeente_a, gemeente_b, user_factory, client_for
):
    """Groningen's griffier asks for the national report, for Utrecht's province and for
    Utrecht itself: the parameters do not exist for them, the report stays Groningen's
    8 meldingen (Utrecht has 11, the country 19)."""
    client = client_for(user_factory(Role.GRIFFIER, gemeente_b))
    utrecht_province = Organisation.objects.get(code="PV26")
    forged = {
        **PERIOD,
        "provincie": utrecht_province.pk,
        "soort": "gemeente",
        "organisatie": gemeente_a.pk,
        "organisation": gemeente_a.pk,
        "scope": "national",
    }
    for url in ("/monitor/rapport/", "/monitor/rapport.pdf"):
        response = client.get(url, forged)
        assert response.status_code == 200
        content = (
            pdf_text(response)
            if url.endswith(".pdf")
            else " ".join(response.content.decode().split())
        )
        assert "Cijfers van Groningen" in content
        assert "Meldingen per provincie" not in content
        assert "Utrecht" not in content
    monitor = client.get("/monitor/rapport/", forged).context["monitor"]
    assert monitor.figure("meldingen-per-maand").total.values[0].display == "8"


@pytest.mark.parametrize(
    ("role", "org"),
    [
        (Role.OFFICE_HOLDER, "GM0344"),
        (Role.VOORZITTER, "GM0344"),
        (Role.VW_INTAKE, "BZK"),
        (Role.OTWB_COORDINATOR, "OTWB"),
    ],
)
def test_everyone_else_is_refused_the_report(data, role, org, user_factory, client_for):
    kwargs = {"position": "wethouder"} if role == Role.OFFICE_HOLDER else {}
    client = client_for(user_factory(role, Organisation.objects.get(code=org), **kwargs))
    for url in ("/monitor/rapport/", "/monitor/rapport.pdf"):
        response = client.get(url, PERIOD)
        assert response.status_code == 403, url
        assert "Meldingen per maand" not in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_anonymous_visitor_is_sent_to_login_for_the_report(db, client):
    for url in ("/monitor/rapport/", "/monitor/rapport.pdf"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_the_national_report_without_any_decentral_organisation_shows_empty_figures(db):
    """A fresh installation has no gemeenten, provincies or waterschappen yet: no group,
    so no yes/no split has a cell; the monitor shows its figures without numbers instead
    of failing."""
    decentral = Organisation.objects.filter(kind__in=KINDS)
    decentral.update(province=None)
    decentral.delete()
    with time_machine.travel(NOW, tick=False):
        monitor = report.build(Selection(Period(2026)))
    assert not monitor.empty
    follow_up = monitor.figure("meldingen-opvolging")
    assert [row.key for row in follow_up.rows] == ["aangifte", "escalated", "acknowledged"]
    assert monitor.figure("meldingen-per-kwartaal").rows
