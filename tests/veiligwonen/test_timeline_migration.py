"""The conversion of the worded timeline lines (Dutch or English, whoever acted) to codes:
what it recognises is worded in the viewer's language afterwards, what it does not keeps
its stored text."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.utils import translation

from veiligwonen.models import TimelineEntry

from .factories import submit

conversion = importlib.import_module("veiligwonen.migrations.0006_timeline_codes")


@pytest.mark.parametrize(
    ("kind", "message", "code", "params"),
    [
        ("status", "Aanvraag ingediend", "submitted", {}),
        ("status", "Application submitted", "submitted", {}),
        ("status", "Intakegesprek plannen", "status", {"a": "plan_intake"}),
        ("status", "Plan intake interview", "status", {"a": "plan_intake"}),
        ("status", "Advies aanpassen", "status", {"a": "resume_draft"}),
        ("status", "Withdraw application", "status", {"a": "withdraw"}),
        ("claim", "Taken on for intake", "claimed", {}),
        ("claim", "Opgepakt voor intake", "claimed", {}),
        (
            "reclassified",
            "Urgency changed from normaal to spoed",
            "reclassified",
            {"oud": "normaal", "nieuw": "spoed"},
        ),
        (
            "reclassified",
            "Urgentie van hoog naar normaal",
            "reclassified",
            {"oud": "hoog", "nieuw": "normaal"},
        ),
        (
            "measure",
            "Camera: met opname: Carried out",
            "measure",
            {"n": "Camera: met opname", "s": "done"},
        ),
        (
            "measure",
            "PKVW-certificering: Afgezien",
            "measure",
            {"n": "PKVW-certificering", "s": "declined"},
        ),
        ("reminder", "Escalation to team leader", "reminder", {"l": "escalation"}),
        ("reminder", "Herinnering na 30 dagen", "reminder", {"l": "30"}),
        ("purged", "Retention period expired", "purged", {}),
        ("document", "Quotation", "document", {"k": "quote"}),
        ("document", "Rapport van de woningscan", "document", {"k": "scan_report"}),
        ("message", "Message from BZK", "message.bzk", {}),
        ("message", "Bericht van de adviseur (CCV)", "message.adviser", {}),
        ("message", "Bericht van de aanvrager", "message.applicant", {}),
    ],
)
def test_known_wordings_in_either_language_become_their_code(kind, message, code, params):
    assert conversion.code_for(kind, message) == (code, params)


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("status", "Ingediend"),  # a wording no version of the portal wrote
        ("claim", "Intakegesprek plannen"),  # a known text under another kind
        ("reclassified", "Urgentie van laag naar spoed"),
        ("measure", "Camera: Half af"),
        ("status", ""),
    ],
)
def test_unknown_lines_stay_literal(kind, message):
    assert conversion.code_for(kind, message) == ("literal", {})


@pytest.mark.django_db
def test_conversion_of_stored_rows_codes_what_it_knows_and_keeps_the_rest(cast):
    """The migration's own data step, on rows as the added column leaves them (every line
    ``literal`` with its worded text); the tests' database role may not alter tables, so
    the step runs on the current models, whose fields are those of the migrated state."""
    app = submit(cast)
    app.timeline.all().delete()
    words = [
        ("status", "Application submitted"),
        ("claim", "Taken on for intake"),
        ("status", "Plan intake interview"),
        ("reclassified", "Urgency changed from normaal to spoed"),
        ("message", "Message from BZK"),
        ("status", "Handmatig gecorrigeerd"),
    ]
    TimelineEntry.objects.bulk_create(
        TimelineEntry(application=app, kind=kind, code="literal", message=message)
        for kind, message in words
    )

    conversion.to_codes(django_apps, None)

    rows = list(TimelineEntry.objects.filter(application=app).order_by("pk"))
    assert [(r.code, r.params) for r in rows] == [
        ("submitted", {}),
        ("claimed", {}),
        ("status", {"a": "plan_intake"}),
        ("reclassified", {"oud": "normaal", "nieuw": "spoed"}),
        ("message.bzk", {}),
        ("literal", {}),
    ]
    assert [r.message for r in rows] == ["", "", "", "", "", "Handmatig gecorrigeerd"]
    dutch = [
        "Aanvraag ingediend",
        "Opgepakt voor intake",
        "Intakegesprek plannen",
        "Urgentie van Normaal naar Spoed",
        "Bericht van BZK",
        "Handmatig gecorrigeerd",
    ]
    with translation.override("nl"):
        assert [r.text for r in rows] == dutch

    # Going back words every coded line in Dutch.
    conversion.to_texts(django_apps, None)
    assert list(
        TimelineEntry.objects.filter(application=app)
        .order_by("pk")
        .values_list("message", flat=True)
    ) == [*dutch[:3], "Urgentie van normaal naar spoed", *dutch[4:]]
