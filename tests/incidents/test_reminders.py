"""Aftercare, aangifte and idle reminders (each once), and retention anonymisation."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from incidents import services
from incidents.constants import AangifteStatus, Status
from incidents.models import Attachment, Melding, Message
from incidents.services import followup
from incidents.services.sweeps import remind_aangifte, remind_aftercare, remind_idle
from weerbaar.constants import AuditAction
from weerbaar.models import AuditEvent, Notification

from .factories import make_melding

pytestmark = pytest.mark.django_db


def reminders(user, kind):
    return Notification.objects.filter(recipient=user, kind=f"incidents.reminder.{kind}")


def acknowledged(reporter, griffier):
    melding = make_melding(reporter)
    return services.transition(melding, Status.IN_TRIAGE, actor=griffier)


def test_aftercare_reminders_at_7_and_28_days_once_each(raadslid_a, griffier_a):
    acknowledged(raadslid_a, griffier_a)
    start = timezone.now()
    with time_machine.travel(start + timedelta(days=6), tick=False):
        assert remind_aftercare() == 0
    with time_machine.travel(start + timedelta(days=7, minutes=1), tick=False):
        assert remind_aftercare() == 1
        assert remind_aftercare() == 0
    with time_machine.travel(start + timedelta(days=29), tick=False):
        assert remind_aftercare() == 1
    assert reminders(griffier_a, "aftercare").count() == 2


def test_aangifte_status_reminder_after_14_days_unless_it_moved(raadslid_a, griffier_a):
    melding = acknowledged(raadslid_a, griffier_a)
    followup.save_aangifte(melding, actor=griffier_a, data={"status": AangifteStatus.FILED})
    start = timezone.now()
    with time_machine.travel(start + timedelta(days=13), tick=False):
        assert remind_aangifte() == 0
    with time_machine.travel(start + timedelta(days=14, minutes=1), tick=False):
        assert remind_aangifte() == 1
        assert remind_aangifte() == 0
        followup.save_aangifte(melding, actor=griffier_a, data={"status": AangifteStatus.CLOSED})
    with time_machine.travel(start + timedelta(days=40), tick=False):
        assert remind_aangifte() == 0


def test_idle_case_reminded_once_per_quiet_spell(raadslid_a, griffier_a):
    melding = acknowledged(raadslid_a, griffier_a)
    start = timezone.now()
    with time_machine.travel(start + timedelta(days=15), tick=False):
        assert remind_idle() == 1
        assert remind_idle() == 0
        services.note(melding, "Gebeld met de melder.", actor=griffier_a)
    with time_machine.travel(start + timedelta(days=31), tick=False):
        assert remind_idle() == 1
    assert reminders(griffier_a, "idle").count() == 2


def test_retention_dry_run_changes_nothing_then_anonymises(raadslid_a, griffier_a, settings):
    settings.INCIDENTS_RETENTION_DAYS = 30
    melding = acknowledged(raadslid_a, griffier_a)
    services.post_message(melding, "Persoonlijk bericht", actor=raadslid_a)
    services.add_attachment(
        melding,
        actor=raadslid_a,
        filename="a.pdf",
        content_type="application/pdf",
        data=b"%PDF-1.4 test",
    )
    services.transition(melding, Status.CLOSED, actor=griffier_a)
    young = acknowledged(raadslid_a, griffier_a)
    with time_machine.travel(timezone.now() + timedelta(days=31), tick=False):
        services.transition(young, Status.CLOSED, actor=griffier_a)
        out = StringIO()
        call_command("anonymise_meldingen", "--dry-run", stdout=out)
        assert melding.reference in out.getvalue() and young.reference not in out.getvalue()
        assert Melding.objects.get(pk=melding.pk).description
        call_command("anonymise_meldingen", stdout=StringIO())
    kept = Melding.objects.get(pk=melding.pk)
    assert kept.description == "" and kept.anonymised_at is not None
    assert kept.reporter is None and kept.filed_by is None
    assert kept.categories  # statistics keep their plain columns
    assert not Message.objects.filter(melding=melding).exists()
    assert not Attachment.objects.filter(melding=melding).exists()
    assert Melding.objects.get(pk=young.pk).description
    assert AuditEvent.objects.for_object(kept).filter(action=AuditAction.PURGE).count() == 1


def test_beat_schedule_entries_import_and_bind():
    from importlib import import_module

    from incidents.schedule import BEAT_SCHEDULE

    for entry in BEAT_SCHEDULE.values():
        module, name = entry["task"].rsplit(".", 1)
        task = getattr(import_module(module), name)
        assert task.name == entry["task"]
