"""Timeline lines are stored as a code with parameters and worded when shown, in the
viewer's language, with one date style: what an English browser writes reads Dutch to a
Dutch reporter."""

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from incidents.constants import TimelineKind
from incidents.models import TimelineEntry

from .factories import make_melding
from .helpers import case_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def compiled_messages():
    call_command("compilemessages", locale=["en"], verbosity=0, ignore=[".venv", "node_modules"])


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_line_written_from_english_browser_reads_dutch_to_reporter_and_english_to_english_viewer(
    compiled_messages, client_for, raadslid_a, griffier_a
):
    melding = make_melding(raadslid_a)
    triager = english(client_for(griffier_a))
    triager.post(case_url(melding, "incidents:transition"), {"to": "in_triage"})
    triager.post(
        case_url(melding, "incidents:aangifte"),
        {"aangifte-filer": "employer", "aangifte-status": "filed", "aangifte-advised": "on"},
    )
    line = melding.timeline.get(kind=TimelineKind.AANGIFTE)
    assert (line.code, line.params, line.summary) == ("aangifte.status", {"s": "filed"}, "")

    reporter = client_for(raadslid_a).get(case_url(melding), HTTP_ACCEPT_LANGUAGE="en")
    html = reporter.content.decode()
    assert "Aangifte: Gedaan" in html and "Ontvangst bevestigd" in html
    assert "Police report" not in html and "Receipt acknowledged" not in html

    html = triager.get(case_url(melding)).content.decode()
    assert "Police report: Filed" in html and "Receipt acknowledged" in html
    assert "Aangifte: Gedaan" not in html


def test_parameters_naming_people_are_encrypted_at_rest(client_for, raadslid_a, griffier_a):
    melding = make_melding(raadslid_a)
    client_for(griffier_a).post(case_url(melding, "incidents:assign"), {"assignee": griffier_a.pk})
    line = melding.timeline.get(kind=TimelineKind.ASSIGNED)
    assert line.text == f"Toegewezen aan {griffier_a}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT params FROM incidents_timelineentry WHERE id = %s", [line.pk])
        stored = cursor.fetchone()[0]
    assert stored and str(griffier_a) not in stored and "{" not in stored


def test_line_from_before_codes_shows_its_stored_text(client_for, raadslid_a):
    melding = make_melding(raadslid_a)
    created = TimelineEntry.objects.create(
        melding=melding, at=melding.submitted_at, kind=TimelineKind.STATUS, summary="Oude regel"
    )
    old = TimelineEntry.objects.get(pk=created.pk)
    assert old.code == "" and old.text == "Oude regel"
    assert "Oude regel" in client_for(raadslid_a).get(case_url(melding)).content.decode()


def test_timeline_dates_are_written_out_in_one_dutch_style(
    compiled_messages, client_for, raadslid_a
):
    melding = make_melding(raadslid_a)
    melding.timeline.update(at=datetime(2026, 12, 6, 17, 11, tzinfo=UTC))  # 18:11 in NL
    client = client_for(raadslid_a)
    html = client.get(case_url(melding)).content.decode()
    assert "6 december 2026 18:11" in html and "6 dec" not in html.replace("6 december", "")
    html = english(client).get(case_url(melding)).content.decode()
    assert "6 December 2026 18:11" in html
