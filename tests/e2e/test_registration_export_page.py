"""The registration export form in Chromium (issue 22 §3): reached from the dashboard with
its filters, axe-clean (also with the error of a form sent without a format), and usable
without JavaScript: the file downloads and opens in openpyxl."""

import io

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from openpyxl import load_workbook

from incidents.constants import Category
from tests.factories import PASSWORD, make_user
from tests.incidents.factories import make_melding
from weerbaar.constants import Position, Role

from .conftest import DESKTOP
from .helpers import assert_accessible, login, watch_console

pytestmark = pytest.mark.django_db(transaction=True)


def test_griffier_exports_the_filtered_list_without_javascript(
    live_server, browser, page, gemeente_a
):
    raadslid = make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID, full_name="Ron R")
    griffier = make_user(Role.GRIFFIER, gemeente_a, full_name="Gerda de Griffier")
    verbal = make_melding(raadslid, categories=[Category.VERBAL], description="Geheim verhaal")
    make_melding(raadslid, categories=[Category.THREAT])
    secret = pyotp.random_base32()
    TOTP.activate(griffier, secret)
    login(page, live_server.url, griffier.email, PASSWORD, totp_secret=secret)
    console = watch_console(page)
    page.goto(f"{live_server.url}/meldingen/triage/?category=verbal")
    page.get_by_role("link", name="Exporteren voor de registratie (CSV of Excel)").click()
    page.get_by_role("heading", name="Meldingen exporteren voor de registratie").wait_for()
    page.get_by_text("Het bestand bevat 1 melding").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Bestand downloaden").click()
    page.get_by_text("Kies een bestandsformaat: CSV of Excel.").first.wait_for()
    assert_accessible(page)
    # Chromium logs the refused form's 400 document as a console error; nothing else.
    assert all("status of 400" in e for e in console.errors), console.errors
    assert not console.csp_violations
    url = page.url

    context = browser.new_context(
        viewport=DESKTOP,
        locale="nl-NL",
        java_script_enabled=False,
        accept_downloads=True,
        storage_state=page.context.storage_state(),
    )
    try:
        plain = context.new_page()
        plain.goto(url)
        plain.get_by_label("Excel (XLSX)").check()
        plain.get_by_label("Vrije tekst meenemen").check()
        with plain.expect_download() as info:
            plain.get_by_role("button", name="Bestand downloaden").click()
        download = info.value
        assert download.suggested_filename.startswith("meldingen-registratie-")
        sheet = load_workbook(io.BytesIO(download.path().read_bytes()))["Meldingen"]
        rows = list(sheet.iter_rows(values_only=True))
        header = rows[0]
        assert [r[0] for r in rows[1:]] == [verbal.reference]
        assert rows[1][header.index("Omschrijving (vrije tekst)")] == "Geheim verhaal"
    finally:
        context.close()
