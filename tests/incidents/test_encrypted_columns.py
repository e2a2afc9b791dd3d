"""ASVS 14.2.4 / 11.x: the aangifte's police unit and registration number, an attachment's
file name and the timeline lines that name people ("Gedeeld met …", "Toegewezen aan …") are
encrypted at rest like the rest of the case: a database dump shows none of them, the pages
show them as before, key rotation re-encrypts them, and the migration encrypts rows that
were written in plain text."""

import importlib
import io
import os
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from pypdf import PdfReader

from incidents import services
from incidents.constants import Status
from incidents.models import Aangifte, Attachment, TimelineEntry
from incidents.services import followup
from weerbaar import crypto
from weerbaar.constants import Role

from ..factories import make_user
from .factories import make_melding
from .helpers import case_url, pdf_bytes
from .test_filing_views import upload

pytestmark = pytest.mark.django_db

UNIT = "Eenheid Oost-Brabant, team Zwanenburg"
NUMBER = "PL2099-7766554433"
FILE = "dreigbrief Vermeulen"
COLLEAGUE = "Wilhelmina Sterrenburg"
COLUMNS = [
    ("incidents_aangifte", "police_unit"),
    ("incidents_aangifte", "registration_number"),
    ("incidents_attachment", "filename"),
    ("incidents_timelineentry", "params"),  # the names in "Gedeeld met …" lines
]
MIGRATION = importlib.import_module("incidents.migrations.0007_encrypt_aangifte_filenames_timeline")


def raw(table, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {column} <> ''")
        return [value for (value,) in cursor.fetchall()]


@pytest.fixture
def case(client_for, raadslid_a, griffier_a, gemeente_a):
    melding = make_melding(raadslid_a)
    services.transition(melding, Status.IN_TRIAGE, actor=griffier_a)
    colleague = make_user(Role.GRIFFIER, gemeente_a, full_name=COLLEAGUE)
    followup.share(melding, colleague, actor=griffier_a)
    services.assign(melding, colleague, actor=griffier_a)
    followup.save_aangifte(
        melding,
        actor=griffier_a,
        data={"status": "filed", "police_unit": UNIT, "registration_number": NUMBER},
    )
    upload(client_for(raadslid_a), melding, f"{FILE}.pdf", pdf_bytes())
    return melding


def test_raw_columns_hold_no_plain_text(case):
    dump = " ".join(value for table, column in COLUMNS for value in raw(table, column))
    for plain in (UNIT, NUMBER, FILE, "Wilhelmina", COLLEAGUE, "Gedeeld met", "Toegewezen aan"):
        assert plain not in dump
    assert all(value.startswith("v1:") for table, column in COLUMNS for value in raw(table, column))


def test_case_page_pdf_and_download_still_show_them(case, client_for, griffier_a):
    triager = client_for(griffier_a)
    html = triager.get(case_url(case)).content.decode()
    assert f"Gedeeld met {COLLEAGUE}" in html and f"Toegewezen aan {COLLEAGUE}" in html
    # The aangifte's fields are in its section, rendered when opened.
    opened = triager.get(case_url(case), {"open": "aangifte"}).content.decode()
    assert f'value="{UNIT}"' in opened and f'value="{NUMBER}"' in opened
    assert f"{FILE}.pdf" in html
    pdf = triager.get(case_url(case, "incidents:aangifte_pdf")).content
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert UNIT in text and NUMBER in text
    attachment = Attachment.objects.get()
    download = triager.get(case_url(attachment, "incidents:attachment"))
    assert download["Content-Disposition"] == f'attachment; filename="{FILE}.pdf"'


def test_rotation_re_encrypts_them(case, settings):
    new = f"new9:{crypto.generate_key()}"
    settings.FIELD_ENCRYPTION_KEYS = [new, *settings.FIELD_ENCRYPTION_KEYS]
    call_command("rotate_encryption_keys", stdout=open(os.devnull, "w"))  # noqa: SIM115
    for table, column in COLUMNS:
        values = raw(table, column)
        assert values and {crypto.key_id_of(v) for v in values} == {"new9"}, column
    settings.FIELD_ENCRYPTION_KEYS = [new]
    aangifte = Aangifte.objects.get()
    assert (aangifte.police_unit, aangifte.registration_number) == (UNIT, NUMBER)
    assert Attachment.objects.get().filename == f"{FILE}.pdf"
    assert f"Gedeeld met {COLLEAGUE}" in [line.text for line in TimelineEntry.objects.all()]


def test_migration_encrypts_rows_written_in_plain_text_and_leaves_the_rest(case):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE incidents_aangifte SET police_unit = %s, registration_number = %s",
            [UNIT, NUMBER],
        )
        cursor.execute("UPDATE incidents_attachment SET filename = %s", [f"{FILE}.pdf"])
        cursor.execute(
            "UPDATE incidents_timelineentry SET summary = %s WHERE kind = 'shared'",
            [f"Gedeeld met {COLLEAGUE}"],
        )
    untouched = raw("incidents_timelineentry", "summary")
    untouched = [v for v in untouched if v.startswith("v1:")]

    editor = SimpleNamespace(connection=connection)
    MIGRATION.encrypt(None, editor)
    MIGRATION.encrypt(None, editor)  # a rerun changes nothing

    for table, column in COLUMNS:
        assert all(v.startswith("v1:") for v in raw(table, column)), column
    assert set(untouched) <= set(raw("incidents_timelineentry", "summary"))
    aangifte = Aangifte.objects.get()
    assert (aangifte.police_unit, aangifte.registration_number) == (UNIT, NUMBER)
    assert Attachment.objects.get().filename == f"{FILE}.pdf"
    assert f"Gedeeld met {COLLEAGUE}" in TimelineEntry.objects.values_list("summary", flat=True)

    MIGRATION.decrypt(None, editor)  # and back, for migrating backwards
    assert UNIT in raw("incidents_aangifte", "police_unit")
