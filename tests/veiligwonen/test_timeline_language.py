"""The Veilig Wonen timeline is stored as a code with parameters and worded when shown, in
the viewer's language: what a BZK officer with an English interface does reads Dutch to a
Dutch applicant and English to an English viewer."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from veiligwonen import timeline_texts
from veiligwonen.constants import TimelineKind
from veiligwonen.models import TimelineEntry

from .factories import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def compiled_messages():
    call_command("compilemessages", locale=["en"], verbosity=0, ignore=[".venv", "node_modules"])


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def step_url(app, action):
    return reverse("veiligwonen:step", args=[app.pk, action])


def test_english_officers_lines_read_dutch_to_applicant_and_english_to_english_viewer(
    compiled_messages, cast, client_for
):
    app = submit(cast)
    officer = english(client_for(cast.intake))
    officer.post(step_url(app, "claim"))
    when = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    officer.post(step_url(app, "plan_intake"), {"adviser": cast.adviser.pk, "when": when})
    officer.post(reverse("veiligwonen:post_message", args=[app.pk]), {"body": "Komt dinsdag uit?"})

    dutch = client_for(cast.burgemeester).get(app.get_absolute_url()).content.decode()
    for line in ("Aanvraag ingediend", "Opgepakt voor intake", "Intakegesprek plannen"):
        assert line in dutch
    assert "Bericht van BZK" in dutch
    for line in ("Taken on for intake", "Plan intake interview", "Message from BZK"):
        assert line not in dutch

    shown = english(client_for(cast.burgemeester)).get(app.get_absolute_url()).content.decode()
    for line in ("Application submitted", "Taken on for intake", "Plan intake interview"):
        assert line in shown
    assert "Message from BZK" in shown
    assert "Opgepakt voor intake" not in shown and "Bericht van BZK" not in shown

    claimed = app.timeline.get(kind=TimelineKind.CLAIM)
    assert (claimed.code, claimed.params, claimed.message) == ("claimed", {}, "")
    planned = app.timeline.get(kind=TimelineKind.STATUS, to_status="intake_planned")
    assert (planned.code, planned.params) == ("status", {"a": "plan_intake"})


def test_reclassification_and_measure_lines_show_labels_in_the_viewers_language(
    compiled_messages, cast
):
    app = submit(cast)
    TimelineEntry.objects.bulk_create(
        [
            TimelineEntry(
                application=app,
                kind=TimelineKind.RECLASSIFIED,
                code="reclassified",
                params={"oud": "normaal", "nieuw": "spoed"},
            ),
            TimelineEntry(
                application=app,
                kind=TimelineKind.MEASURE,
                code="measure",
                params={"n": "Camera en intercom", "s": "done"},
            ),
        ]
    )
    reclassified, measure = app.timeline.filter(kind__in=("reclassified", "measure"))
    with translation.override("nl"):
        assert reclassified.text == "Urgentie van Normaal naar Spoed"
        assert measure.text == "Camera en intercom: Uitgevoerd"
    with translation.override("en"):
        assert reclassified.text == "Urgency changed from Normal to Urgent"
        assert measure.text == "Camera en intercom: Carried out"


def test_line_kept_as_literal_shows_its_stored_text(cast):
    app = submit(cast)
    TimelineEntry.objects.create(
        application=app, kind=TimelineKind.STATUS, code="literal", message="Oude regel"
    )
    assert app.timeline.get(code="literal").text == "Oude regel"
    TimelineEntry.objects.create(application=app, kind=TimelineKind.PURGED, code="literal")
    with translation.override("nl"):
        assert (
            app.timeline.get(code="literal", message="").text
            == "Gegevens verwijderd (bewaartermijn)"
        )
    assert timeline_texts.render("no-such-code", {}, fallback="Bewaard") == "Bewaard"


def test_a_line_with_an_unknown_code_fails_when_written():
    with pytest.raises(KeyError):
        timeline_texts.line("no-such-code")


SAMPLES = {
    "status": {"a": "plan_intake"},
    "reclassified": {"oud": "normaal", "nieuw": "spoed"},
    "measure": {"n": "Camera", "s": "declined"},
    "reminder": {"l": "warning"},
    "document": {"k": "quote"},
}


def test_every_code_has_dutch_text_and_an_english_translation(compiled_messages):
    assert set(SAMPLES) <= set(timeline_texts.TEXTS)
    for code in timeline_texts.TEXTS:
        params = SAMPLES.get(code, {})
        with translation.override("nl"):
            dutch = timeline_texts.render(code, params)
        with translation.override("en"):
            shown = timeline_texts.render(code, params)
        assert dutch and shown, code
        assert dutch != shown, code
