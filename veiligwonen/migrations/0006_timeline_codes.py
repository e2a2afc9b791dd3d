"""Timeline lines become a code and its parameters, worded when shown in the viewer's
language. The lines written before were worded in the language of whoever acted, Dutch or
English: the texts below are those wordings as they were at this migration (frozen here,
so that a later change of wording does not change what this migration recognises). A line
that is not recognised keeps its text under the code ``literal``."""

import re

from django.db import migrations, models

import weerbaar.fields

# (kind, Dutch, English) → (code, params)
ACTIONS = {
    "plan_intake": ("Intakegesprek plannen", "Plan intake interview"),
    "not_eligible": ("Niet in aanmerking", "Not eligible"),
    "hold_intake": ("Intakegesprek vastleggen", "Record intake interview"),
    "hand_off": ("Overdragen aan het Stelsel", "Hand over to the Stelsel"),
    "plan_scan": ("Woningscan plannen", "Plan woningscan"),
    "record_scan": ("Woningscan vastleggen", "Record woningscan"),
    "start_advice": ("Advies opstellen", "Draw up advice"),
    "submit_for_review": ("Ter beoordeling aanbieden", "Submit for review"),
    "return_advice": ("Terugsturen met opmerkingen", "Return with comments"),
    "resume_draft": ("Advies aanpassen", "Revise advice"),
    "issue_advice": ("Goedkeuren en uitbrengen", "Approve and issue"),
    "start_measures": ("Maatregelen uitvoeren", "Carry out measures"),
    "complete": ("Afronden", "Complete"),
    "withdraw": ("Aanvraag intrekken", "Withdraw application"),
}
FIXED = [
    ("status", ("Aanvraag ingediend", "Application submitted"), "submitted", {}),
    ("claim", ("Opgepakt voor intake", "Taken on for intake"), "claimed", {}),
    ("purged", ("Bewaartermijn verstreken", "Retention period expired"), "purged", {}),
    (
        "message",
        ("Bericht van de aanvrager", "Message from the applicant"),
        "message.applicant",
        {},
    ),
    ("message", ("Bericht van BZK", "Message from BZK"), "message.bzk", {}),
    (
        "message",
        ("Bericht van de adviseur (CCV)", "Message from the adviser (CCV)"),
        "message.adviser",
        {},
    ),
    *[("status", texts, "status", {"a": action}) for action, texts in ACTIONS.items()],
    *[
        ("reminder", texts, "reminder", {"l": level})
        for level, texts in {
            "warning": ("Waarschuwing", "Warning"),
            "escalation": ("Escalatie naar teamleider", "Escalation to team leader"),
            "30": ("Herinnering na 30 dagen", "Reminder after 30 days"),
            "60": ("Herinnering na 60 dagen", "Reminder after 60 days"),
        }.items()
    ],
    *[
        ("document", texts, "document", {"k": kind})
        for kind, texts in {
            "scan_report": ("Rapport van de woningscan", "Woningscan report"),
            "quote": ("Offerte", "Quotation"),
            "invoice": ("Factuur", "Invoice"),
            "other": ("Ander document", "Other document"),
        }.items()
    ],
]
KNOWN = {(kind, text): (code, params) for kind, texts, code, params in FIXED for text in texts}
URGENCY = ("spoed", "hoog", "normaal")
RECLASSIFIED = [
    re.compile(r"Urgentie van (?P<oud>\w+) naar (?P<nieuw>\w+)"),
    re.compile(r"Urgency changed from (?P<oud>\w+) to (?P<nieuw>\w+)"),
]
MEASURE_STATUS = {
    "Gepland": "planned",
    "Uitgevoerd": "done",
    "Afgezien": "declined",
    "Planned": "planned",
    "Carried out": "done",
    "Declined": "declined",
}
LITERAL = ("literal", {})


def code_for(kind, message):
    """The (code, params) of a line written as ``message``; ``("literal", {})`` when the
    text is not one this migration knows."""
    text = message.strip()
    if (kind, text) in KNOWN:
        code, params = KNOWN[(kind, text)]
        return code, dict(params)
    if kind == "reclassified":
        for pattern in RECLASSIFIED:
            found = pattern.fullmatch(text)
            if found and found["oud"] in URGENCY and found["nieuw"] in URGENCY:
                return "reclassified", found.groupdict()
    if kind == "measure" and ": " in text:
        name, status = text.rsplit(": ", 1)
        if name and status in MEASURE_STATUS:
            return "measure", {"n": name, "s": MEASURE_STATUS[status]}
    return LITERAL


def to_codes(apps, schema_editor):
    TimelineEntry = apps.get_model("veiligwonen", "TimelineEntry")
    changed = []
    for entry in TimelineEntry.objects.only("pk", "kind", "message").iterator(chunk_size=2000):
        code, params = code_for(entry.kind, entry.message)
        if code != "literal":
            entry.code, entry.params, entry.message = code, params, ""
            changed.append(entry)
    TimelineEntry.objects.bulk_update(changed, ["code", "params", "message"], batch_size=2000)


DUTCH = {(code, tuple(sorted(params.items()))): texts[0] for _k, texts, code, params in FIXED}


def text_for(code, params, message):
    """The Dutch wording of a line, for going back to stored texts."""
    if code == "reclassified":
        return f"Urgentie van {params['oud']} naar {params['nieuw']}"
    if code == "measure":
        status = next(nl for nl, value in MEASURE_STATUS.items() if value == params["s"])
        return f"{params['n']}: {status}"
    return DUTCH.get((code, tuple(sorted(params.items()))), message)


def to_texts(apps, schema_editor):
    TimelineEntry = apps.get_model("veiligwonen", "TimelineEntry")
    changed = []
    for entry in TimelineEntry.objects.exclude(code="literal").iterator(chunk_size=2000):
        entry.message = text_for(entry.code, entry.params, entry.message)[:300]
        changed.append(entry)
    TimelineEntry.objects.bulk_update(changed, ["message"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("veiligwonen", "0005_documents_and_messages"),
    ]

    operations = [
        migrations.AddField(
            model_name="timelineentry",
            name="code",
            field=models.CharField(default="literal", max_length=40, verbose_name="code"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="timelineentry",
            name="params",
            field=weerbaar.fields.EncryptedJSONField(
                blank=True, default=dict, verbose_name="parameters"
            ),
        ),
        migrations.RunPython(to_codes, to_texts),
    ]
