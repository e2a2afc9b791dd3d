"""A melding escalated to the last level, withdrawn and sent again by its reporter, is
escalated again from the start: once per level, with its own notifications. Before the
fix the sweep asked for level 4 and crashed at this melding on every run."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from incidents.constants import EscalationLevel, JobKind, Status, TimelineKind
from incidents.models import JobRecord, Melding, TimelineEntry
from incidents.services.sweeps import escalate_due
from weerbaar.models import Notification, SweepFailure

from .helpers import form_data

pytestmark = pytest.mark.django_db
TUESDAY = datetime(2027, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def _escalate_to_the_last_level(melding):
    """Run the sweep just after each deadline, as beat would; returns the last moment."""
    for level in EscalationLevel:
        moment = melding.next_escalation_at + timedelta(minutes=1)
        with time_machine.travel(moment, tick=False):
            assert escalate_due() == 1
            assert escalate_due() == 0
        melding.refresh_from_db()
        assert melding.escalation_level == level
    assert melding.next_escalation_at is None
    return moment


def test_a_melding_resent_after_full_escalation_is_escalated_again_from_the_start(
    raadslid_a, griffier_a, client_for
):
    # The reporter signs in at each moment (a session does not last the days in between).
    with time_machine.travel(TUESDAY, tick=False):
        reporter = client_for(raadslid_a, mfa=False)
        assert reporter.post(reverse("incidents:new"), form_data()).status_code == 302
    melding = Melding.objects.get(reporter=raadslid_a)
    last = _escalate_to_the_last_level(melding)
    assert melding.otwb_involved

    with time_machine.travel(last + timedelta(hours=1), tick=False):
        reporter = client_for(raadslid_a, mfa=False)
        assert reporter.post(reverse("incidents:withdraw", args=[melding.pk])).status_code == 302
        assert reporter.post(reverse("incidents:resubmit", args=[melding.pk])).status_code == 302
    melding.refresh_from_db()
    assert melding.status == Status.SUBMITTED
    assert melding.escalation_level == 0 and melding.next_escalation_at is not None

    _escalate_to_the_last_level(melding)
    assert not SweepFailure.objects.exists()
    # This sending's claims; the first sending's are in the timeline and the audit log.
    assert JobRecord.objects.filter(melding=melding, kind=JobKind.ESCALATION).count() == 3
    lines = TimelineEntry.objects.filter(
        melding=melding, kind__in=(TimelineKind.REMINDER, TimelineKind.ESCALATION)
    )
    assert lines.count() == 6
    # The handler was reminded once per sending.
    reminded = Notification.objects.filter(recipient=griffier_a, kind="incidents.escalation.1")
    assert reminded.count() == 2
