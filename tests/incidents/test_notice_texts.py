"""What the notifications about a melding say and where they lead: what happened and who (by
role) did it, never what the case holds, and a link to the section of the case page
concerned. The start page's "new message" flag and opening the case still find the message
notices by that link."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from incidents import services
from incidents.constants import AangifteStatus, Category, Perpetrator, Place, Severity, Status
from incidents.filters import new_message_q
from incidents.models import Melding
from incidents.services import followup
from incidents.services.sweeps import escalate_due, remind_aangifte, remind_aftercare, remind_idle
from tests.factories import make_user
from weerbaar.constants import Position, Role
from weerbaar.models import Notification
from weerbaar.notifications import deliver_pending

from .factories import make_melding

pytestmark = pytest.mark.django_db

# Words that stand only in the case itself: none may reach a subject, body or push text.
SECRET = {
    "description": "Zwartvoet dreigde bij de Vlinderbrug met een kapotgeslagen fietsbel.",
    "perpetrator": Perpetrator.KNOWN,
    "perpetrator_details": "Zwartvoet Kwakkelbeek uit Ossendrecht",
    "witnesses": "Brammetje Pieperhof",
    "place": Place.HOME,
}
SECRET_WORDS = {
    "Zwartvoet",
    "Vlinderbrug",
    "fietsbel",
    "Kwakkelbeek",
    "Ossendrecht",
    "Pieperhof",
    "Snoepwinkel",
}

# The section of the case page each kind of notice leads to.
SECTIONS = {
    "incidents.new": "overzicht",
    "incidents.status": "tijdlijn",
    "incidents.message": "berichten",
    "incidents.assigned": "beoordeling",
    "incidents.acute": "beoordeling",
    "incidents.shared": "tijdlijn",
    "incidents.escalation.1": "overzicht",
    "incidents.escalation.2": "overzicht",
    "incidents.escalation.3": "overzicht",
    "incidents.reminder.aftercare": "nazorg",
    "incidents.reminder.aangifte": "aangifte",
    "incidents.reminder.idle": "tijdlijn",
}


@pytest.fixture
def english_messages():
    call_command("compilemessages", locale=["en"], verbosity=0, ignore=[".venv", "node_modules"])


def _walk_every_notice(raadslid, griffier, gemeente):
    """A melding full of distinctive words, through every move that tells someone."""
    colleague = make_user(Role.GRIFFIER, gemeente, full_name="Gijs Collega")
    shared_with = make_user(
        Role.OFFICE_HOLDER, gemeente, Position.WETHOUDER, full_name="Wendy Wethouder"
    )
    melding = make_melding(raadslid, categories=(Category.THREAT, Category.ONLINE), **SECRET)
    services.set_severity(melding, Severity.ACUTE, actor=griffier)
    services.transition(melding, Status.IN_TRIAGE, actor=griffier)
    services.assign(melding, colleague, actor=griffier)
    services.post_message(melding, "Zwartvoet belde weer vanuit de Snoepwinkel.", actor=raadslid)
    services.post_message(melding, "Heeft Zwartvoet u bij de Vlinderbrug gezien?", actor=griffier)
    followup.share(melding, shared_with, actor=griffier)
    followup.save_aangifte(melding, actor=griffier, data={"status": AangifteStatus.FILED})
    services.transition(melding, Status.IN_FOLLOW_UP, actor=griffier)
    services.close(melding, "Zwartvoet is opgepakt bij de Snoepwinkel.", actor=griffier)
    services.transition(melding, Status.IN_FOLLOW_UP, actor=griffier)
    services.withdraw(melding, actor=raadslid)
    services.submit(Melding.objects.get(pk=melding.pk), actor=raadslid)

    # A second one nobody acknowledges: reminded, then escalated; the first one is reminded
    # of its nazorg, its aangifte and its silence.
    late = make_melding(raadslid, **SECRET)
    services.transition(melding, Status.IN_TRIAGE, actor=griffier)
    followup.save_aangifte(melding, actor=griffier, data={"status": AangifteStatus.FILED})
    later = timezone.now()
    for days in (3, 10, 20, 40):
        with time_machine.travel(later + timedelta(days=days), tick=False):
            escalate_due()
            remind_aftercare()
            remind_aangifte()
            remind_idle()
    return melding, late


def test_no_notice_carries_case_content_and_each_leads_to_its_section(
    raadslid_a, griffier_a, gemeente_a, voorzitter_a, vertrouwenspersoon
):
    melding, late = _walk_every_notice(raadslid_a, griffier_a, gemeente_a)
    notices = list(Notification.objects.filter(kind__startswith="incidents."))

    assert set(SECTIONS) <= {n.kind for n in notices}, "a move told nobody"
    people = {n for n in Notification.objects.values_list("recipient__full_name", flat=True) if n}
    forbidden = SECRET_WORDS | people | {gemeente_a.name, "Utrecht"}
    forbidden |= {str(label) for label in (Category.THREAT.label, Category.ONLINE.label)}
    forbidden |= {str(Place.HOME.label)}
    for notice in notices:
        text = " ".join((notice.subject, notice.body, notice.push_text)).lower()
        leaked = [word for word in forbidden if word.lower() in text]
        assert not leaked, (notice.kind, leaked, text)
        pk = melding.pk if notice.link.startswith(f"/meldingen/{melding.pk}/") else late.pk
        expected = f"{reverse('incidents:case', args=[pk])}#{SECTIONS[notice.kind]}"
        assert notice.link == expected, notice.kind


def test_the_reporter_reads_what_happened_and_who_did_it(raadslid_a, griffier_a):
    melding = make_melding(raadslid_a)
    services.transition(melding, Status.IN_TRIAGE, actor=griffier_a)
    services.close(melding, "Afgehandeld.", actor=griffier_a)
    services.post_message(melding, "Tot ziens.", actor=griffier_a)
    told = Notification.objects.filter(recipient=raadslid_a).order_by("pk")
    assert [(n.subject, n.body) for n in told] == [
        (
            "Uw melding is in behandeling genomen",
            "De griffier heeft uw melding in behandeling genomen. Log in om de tijdlijn van uw "
            "melding te bekijken.",
        ),
        (
            "Uw melding is afgesloten",
            "De griffier heeft uw melding afgesloten. Log in om de tijdlijn van uw melding te "
            "bekijken.",
        ),
        (
            "Nieuw bericht bij uw melding",
            "De griffier heeft u een bericht gestuurd bij uw melding. Log in om het te lezen.",
        ),
    ]


def test_new_message_flag_and_reading_the_case_follow_the_anchored_link(
    client_for, raadslid_a, griffier_a
):
    melding = make_melding(raadslid_a)
    services.transition(melding, Status.IN_TRIAGE, actor=griffier_a)
    services.post_message(melding, "Kunt u mij bellen?", actor=raadslid_a)
    services.post_message(melding, "Ja, morgen.", actor=griffier_a)
    case = reverse("incidents:case", args=[melding.pk])
    to_reporter = Notification.objects.get(recipient=raadslid_a, kind="incidents.message")
    to_griffier = Notification.objects.get(recipient=griffier_a, kind="incidents.message")
    assert to_reporter.link == to_griffier.link == f"{case}#berichten"

    # The dashboard's "new message" filter and the start page's flag find both.
    for user in (raadslid_a, griffier_a):
        assert Melding.objects.filter(new_message_q(user), pk=melding.pk).exists()
    reporter = client_for(raadslid_a)
    assert "Nieuw bericht" in reporter.get(reverse("home")).content.decode()
    # The inbox leads to the messages.
    assert f'href="{case}#berichten"' in reporter.get(reverse("inbox")).content.decode()

    # Opening the case reads its message notice, for each side.
    reporter.get(case)
    client_for(griffier_a).get(case)
    for notice in (to_reporter, to_griffier):
        notice.refresh_from_db()
        assert notice.read_at is not None
    for user in (raadslid_a, griffier_a):
        assert not Melding.objects.filter(new_message_q(user), pk=melding.pk).exists()
    assert "Nieuw bericht" not in reporter.get(reverse("home")).content.decode()


def test_unread_message_notices_queued_before_lead_to_the_messages_after_migrating(
    raadslid_a, griffier_a
):
    """The data migration gives the old links the anchor (unread ones only)."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("incidents.migrations.0014_message_notices_link_to_messages")
    melding = make_melding(raadslid_a)
    case = reverse("incidents:case", args=[melding.pk])
    old = Notification.objects.create(
        recipient=raadslid_a,
        kind="incidents.message",
        subject="Nieuw bericht",
        body="Er is een nieuw bericht bij een melding.",
        link=case,
        next_attempt_at=timezone.now(),
    )
    assert not Melding.objects.filter(new_message_q(raadslid_a), pk=melding.pk).exists()
    migration.to_messages(apps, None)
    old.refresh_from_db()
    assert old.link == f"{case}#berichten"
    assert Melding.objects.filter(new_message_q(raadslid_a), pk=melding.pk).exists()


def test_notices_are_worded_in_the_recipients_language_not_the_actors(
    english_messages, raadslid_a, griffier_a, settings
):
    raadslid_a.language = "en"
    raadslid_a.save(update_fields=["language"])
    melding = make_melding(raadslid_a)
    from django.utils import translation

    with translation.override("nl"):
        services.transition(melding, Status.IN_TRIAGE, actor=griffier_a)
        services.post_message(melding, "Bel mij.", actor=raadslid_a)
    to_reporter = Notification.objects.get(recipient=raadslid_a)
    assert to_reporter.subject == "Your report is being handled"
    assert "clerk" in to_reporter.body.lower()
    to_griffier = Notification.objects.get(recipient=griffier_a, kind="incidents.message")
    assert to_griffier.subject == "Nieuw bericht van de melder"

    with translation.override("en"):
        services.post_message(melding, "Call me.", actor=griffier_a)
    assert Notification.objects.filter(
        recipient=raadslid_a, subject="New message about your report"
    ).exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    deliver_pending()
    to_reporter_mail = [m for m in mail.outbox if m.to == [raadslid_a.email]]
    to_griffier_mail = [m for m in mail.outbox if m.to == [griffier_a.email]]
    assert to_reporter_mail and to_griffier_mail
    for message in to_reporter_mail:
        assert "Log in to the Weerbaar Bestuur portal" in message.body
        assert re.search(r"/meldingen/\d+/#(tijdlijn|berichten)\n", message.body)
    for message in to_griffier_mail:
        assert "Log in op het portaal Weerbaar Bestuur" in message.body
