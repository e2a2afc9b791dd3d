"""The registration export of the triage dashboard (issue 22 §3): CSV and XLSX with the
registration fields of a known melding, free text only when chosen on the form (and then
audited as a view of each melding), formula injection neutralised, exactly the dashboard's
scope and filters, and a constant number of queries however many rows."""

import csv
import io
import re
from datetime import date, datetime, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from incidents import services
from incidents.constants import Category, Channel, Perpetrator, Place, Status
from incidents.models import Melding
from incidents.services import followup
from weerbaar.constants import AuditAction
from weerbaar.models import AuditEvent

from .factories import make_melding
from .helpers import case_url
from .test_case_views import bulk_copy

pytestmark = pytest.mark.django_db

FORM = "incidents:export_form"
SECRET = "Hij stond om 23.00 uur voor mijn deur aan de Lindelaan"


def download(client, fmt="csv", *, with_text=False, query=""):
    data = {"format": fmt}
    if with_text:
        data["with_text"] = "on"
    return client.post(reverse(FORM) + query, data)


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response):
    raw = body(response)
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, so Excel reads the accents"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def workbook(response):
    return load_workbook(io.BytesIO(body(response)))["Meldingen"]


def table(response, fmt):
    """The rows of either file as dicts by column name (XLSX values as read)."""
    if fmt == "csv":
        return csv_rows(response)
    sheet = workbook(response)
    header = [c.value for c in sheet[1]]
    return [
        dict(zip(header, values, strict=True))
        for values in sheet.iter_rows(min_row=2, values_only=True)
    ]


@pytest.fixture
def known(raadslid_a, griffier_a):
    """A melding with every registration field filled in through the write path."""
    occurred = timezone.make_aware(datetime(2026, 11, 3, 21, 40))
    melding = make_melding(
        raadslid_a,
        categories=[Category.VERBAL, Category.THREAT],
        occurred_at=occurred,
        place=Place.HOME,
        channel=Channel.AT_HOME,
        perpetrator=Perpetrator.KNOWN,
        perpetrator_details='=HYPERLINK("http://x","klik")',
        witnesses="@buurman Jansen",
        family_involved=True,
        description=SECRET,
    )
    services.transition(melding, Status.IN_TRIAGE, actor=griffier_a)
    services.set_severity(melding, "high", actor=griffier_a)
    followup.save_aangifte(
        melding,
        actor=griffier_a,
        data={
            "status": "filed",
            "filer": "employer",
            "filed_on": date(2026, 11, 4),
            "registration_number": "PL0900-2026311234",
            "police_unit": "Midden-Nederland",
            "vpt_mentioned": True,
        },
    )
    followup.add_perpetrator_action(
        melding, actor=griffier_a, kind="warning_letter", date=date(2026, 11, 6)
    )
    followup.add_aftercare(melding, actor=griffier_a, kind="talk", date=date(2026, 11, 4))
    return Melding.objects.get(pk=melding.pk)


EXPECTED = {
    "Kenmerk": None,  # the melding's own
    "Status": "In behandeling",
    "Ernst": "Hoog",
    "Wie: functie slachtoffer": "Raadslid",
    "Wie: slachtoffer": "De melder zelf",
    "Wie: pleger": "Bekend",
    "Wie: gezin of familie betrokken": "Ja",
    "Wat: soort incident": "Bedreiging",
    "Waar": "Thuis",
    "Waarmee: kanaal": "Aan huis",
    "Op welke wijze: categorieën": "Verbale agressie; Bedreiging",
    "Wanneer: datum": "2026-11-03",
    "Wanneer: tijd": "21:40",
    "Waarom": "In verband met de publieke taak",
    "Aangifte: status": "Gedaan",
    "Aangifte: door": "De werkgever namens de melder",
    "Aangifte: datum": "2026-11-04",
    "Aangifte: registratienummer": "PL0900-2026311234",
    "Aangifte: politie-eenheid": "Midden-Nederland",
    "ELA/VPT-status vermeld": "Ja",
    "Maatregelen richting pleger": "Waarschuwingsbrief (2026-11-06)",
    "Nazorg": "Gesprek (2026-11-04)",
    "Datum afgesloten": "",
}


def test_csv_holds_the_registration_fields_of_a_known_melding(client_for, known, griffier_a):
    response = download(client_for(griffier_a), "csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    [row] = csv_rows(response)
    assert row == {
        **EXPECTED,
        "Kenmerk": known.reference,
        "Wie: organisatie": known.organisation.name,
        "Datum melding": timezone.localtime(known.submitted_at).strftime("%Y-%m-%d %H:%M"),
    }


def test_xlsx_has_typed_cells_frozen_header_and_widths(client_for, known, griffier_a):
    response = download(client_for(griffier_a), "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = workbook(response)
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert all(c.font.b for c in sheet[1])
    row = dict(zip(header, (c for c in sheet[2]), strict=True))
    assert sheet.max_row == 2
    assert row["Wanneer: datum"].value == datetime(2026, 11, 3)
    assert row["Wanneer: datum"].is_date and row["Wanneer: datum"].number_format == "yyyy-mm-dd"
    assert row["Wanneer: tijd"].value == time(21, 40)
    assert row["Aangifte: datum"].value == datetime(2026, 11, 4)
    assert row["Datum melding"].is_date
    for name, value in EXPECTED.items():
        if value and name not in ("Wanneer: datum", "Wanneer: tijd", "Aangifte: datum"):
            assert row[name].value == value, name
    assert row["Kenmerk"].value == known.reference
    assert sheet.column_dimensions["A"].width == 11
    assert all(sheet.column_dimensions[c].width for c in "BCDEFGHIJKLMNOPQRSTUVWXY")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_free_text_only_when_chosen_and_then_audited_as_a_view(
    client_for, known, griffier_a, raadslid_a, fmt
):
    client = client_for(griffier_a)
    [plain] = table(download(client, fmt), fmt)
    assert "Omschrijving (vrije tekst)" not in plain and "Getuigen (vrije tekst)" not in plain
    assert not any(SECRET in str(v) or "buurman" in str(v) for v in plain.values())
    assert not AuditEvent.objects.for_object(known).filter(action=AuditAction.VIEW).exists()
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=griffier_a)
    assert [e.detail["with_text"] for e in exports] == [False] * exports.count()

    [row] = table(download(client, fmt, with_text=True), fmt)
    assert row["Omschrijving (vrije tekst)"] == SECRET
    assert row["Getuigen (vrije tekst)"] in ("'@buurman Jansen", "@buurman Jansen")
    line = AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=griffier_a).latest("pk")
    assert line.detail["with_text"] is True and line.detail["kind"] == f"incidents.{fmt}"
    assert line.detail["count"] == 1
    # The reporter sees on the own melding that the griffier read it through the export.
    assert (
        AuditEvent.objects.for_object(known)
        .filter(action=AuditAction.VIEW, actor=griffier_a)
        .exists()
    )
    html = client_for(raadslid_a).get(case_url(known)).content.decode()
    assert "Wie heeft uw melding bekeken?" in html


def test_formula_injection_is_neutralised_in_csv_and_text_in_xlsx(client_for, known, griffier_a):
    followup.save_aangifte(
        known,
        actor=griffier_a,
        data={"status": "filed", "police_unit": "=1+2", "registration_number": "-3"},
    )
    client = client_for(griffier_a)
    [row] = csv_rows(download(client, "csv", with_text=True))
    assert row["Aangifte: politie-eenheid"] == "'=1+2"
    assert row["Aangifte: registratienummer"] == "'-3"
    assert row["Over de pleger (vrije tekst)"] == '\'=HYPERLINK("http://x","klik")'
    assert row["Getuigen (vrije tekst)"] == "'@buurman Jansen"
    sheet = workbook(download(client, "xlsx", with_text=True))
    header = [c.value for c in sheet[1]]
    for name in ("Aangifte: politie-eenheid", "Over de pleger (vrije tekst)"):
        cell = sheet.cell(2, header.index(name) + 1)
        assert cell.data_type == "s", name  # text, never a formula
    assert sheet.cell(2, header.index("Aangifte: politie-eenheid") + 1).value == "=1+2"


def test_other_organisations_griffier_gets_none_of_ours_even_with_forged_filters(
    client_for, known, griffier_b, raadslid_b, gemeente_a
):
    theirs = make_melding(raadslid_b)
    client = client_for(griffier_b)
    forged = (
        f"?organisation={gemeente_a.pk}&route_organisation={gemeente_a.pk}"
        f"&reporter={known.reporter_id}&pk={known.pk}&id__in={known.pk}&scope=all"
        f"&confidential=&overdue=&status="
    )
    for fmt in ("csv", "xlsx"):
        for query in ("", forged):
            rows = table(download(client, fmt, with_text=True, query=query), fmt)
            assert [r["Kenmerk"] for r in rows] == [theirs.reference]
            assert SECRET not in str(rows)
    old = csv_rows(client.get(reverse("incidents:export") + forged))
    assert [r["Kenmerk"] for r in old] == [theirs.reference]
    assert not AuditEvent.objects.for_object(known).filter(actor=griffier_b).exists()


def test_the_dashboards_filters_and_order_decide_the_rows(
    client_for, known, raadslid_a, griffier_a
):
    verbal = make_melding(raadslid_a, categories=[Category.VERBAL])
    online = make_melding(raadslid_a, categories=[Category.ONLINE])
    client = client_for(griffier_a)
    assert [r["Kenmerk"] for r in csv_rows(download(client, query="?status=submitted"))] == [
        online.reference,
        verbal.reference,
    ]
    assert [r["Kenmerk"] for r in csv_rows(download(client, query="?category=verbal"))] == [
        verbal.reference,
        known.reference,
    ]
    oldest_first = csv_rows(download(client, query="?sort=submitted_at"))
    assert [r["Kenmerk"] for r in oldest_first] == [
        known.reference,
        verbal.reference,
        online.reference,
    ]
    page = client.get(reverse(FORM) + "?category=verbal").content.decode()
    assert "Het bestand bevat 2 meldingen" in page


def test_reporter_gets_403_on_the_form_the_file_and_the_old_address(client_for, known, raadslid_a):
    client = client_for(raadslid_a)
    assert client.get(reverse(FORM)).status_code == 403
    assert download(client, "csv", with_text=True).status_code == 403
    assert client.get(reverse("incidents:export")).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_file_is_not_cached_and_its_name_holds_no_personal_data(client_for, known, griffier_a):
    client = client_for(griffier_a)
    for fmt in ("csv", "xlsx"):
        response = download(client, fmt, with_text=True)
        assert "no-store" in response["Cache-Control"].split(", ")
        disposition = response["Content-Disposition"]
        assert re.fullmatch(
            rf'attachment; filename="meldingen-registratie-\d{{4}}-\d{{2}}-\d{{2}}\.{fmt}"',
            disposition,
        )


def test_form_page_explains_and_asks_for_a_format(client_for, known, griffier_a):
    client = client_for(griffier_a)
    page = client.get(reverse(FORM) + "?status=in_triage")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Vrije tekst meenemen" in html and "wordt vastgelegd" in html
    assert 'action="/meldingen/triage/exporteren/?status=in_triage"' in html
    dashboard = client.get(reverse("incidents:dashboard") + "?status=in_triage").content.decode()
    assert 'href="/meldingen/triage/exporteren/?status=in_triage"' in dashboard
    refused = client.post(reverse(FORM), {"with_text": "on"})
    assert refused.status_code == 400
    assert "Kies een bestandsformaat: CSV of Excel." in refused.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_old_csv_address_still_downloads_and_sends_free_text_requests_to_the_form(
    client_for, known, griffier_a
):
    client = client_for(griffier_a)
    response = client.get(reverse("incidents:export") + "?status=in_triage")
    [row] = csv_rows(response)
    assert row["Kenmerk"] == known.reference and "Omschrijving (vrije tekst)" not in row
    redirect = client.get(reverse("incidents:export") + "?status=in_triage&with_text=1")
    assert redirect.status_code == 302
    assert redirect["Location"] == reverse(FORM) + "?status=in_triage"
    assert SECRET.encode() not in body(response)


@pytest.mark.parametrize(("fmt", "with_text"), [("csv", False), ("csv", True), ("xlsx", True)])
def test_constant_queries_for_1_and_300_rows(
    client_for, known, griffier_a, fmt, with_text, django_assert_max_num_queries
):
    client = client_for(griffier_a)
    client.get(reverse("incidents:dashboard"))  # warm the session
    with CaptureQueriesContext(connection) as one:
        assert len(body(download(client, fmt, with_text=with_text))) > 0
    assert len(one.captured_queries) <= 8
    bulk_copy(known, 299)
    with django_assert_max_num_queries(len(one.captured_queries)):
        content = body(download(client, fmt, with_text=with_text))
    if fmt == "csv":
        assert content.count(b"\r\n") == 301
    else:
        assert workbook_rows(content) == 301


def workbook_rows(content):
    sheet = load_workbook(io.BytesIO(content), read_only=True)["Meldingen"]
    return sum(1 for _row in sheet.iter_rows())
