"""Acute meldingen and escalations reach a phone: the outbox pushes them once per browser
to a push service on loopback (tests/pushreceiver.py verifies VAPID and decrypts), and the
decrypted payload holds nothing of the case."""

import json
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from incidents import services
from incidents.constants import Category, Severity
from incidents.services.sweeps import escalate_due
from tests.pushreceiver import PushReceiver, add_browser
from weerbaar.constants import Role
from weerbaar.models import Notification
from weerbaar.notifications import deliver_pending

from ..factories import make_user
from .factories import DEFAULT_DATA, make_melding
from .test_escalation import MONDAY_10

ACUTE = "Er is een acute melding — open het portaal"
ESCALATION = "Een melding wacht op actie — open het portaal"

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(settings):
    with PushReceiver(settings.VAPID_PUBLIC_KEY) as push_service:
        settings.PUSH_SERVICES = [push_service.origin]
        yield push_service


def deliver():
    """Past every frozen time the tests travel to (VAPID's exp is real time)."""
    return deliver_pending(now=timezone.now() + timedelta(days=60))


def assert_no_content(push, melding):
    text = json.dumps(push["payload"], ensure_ascii=False)
    assert set(push["payload"]) == {"title", "body", "url", "tag"}
    for secret in (DEFAULT_DATA["description"], melding.reporter.full_name, melding.reporter.email):
        assert secret not in text
    assert "Fysiek" not in text and "geweld" not in text


def test_acute_melding_pushes_each_triager_once_without_content(
    receiver, raadslid_a, griffier_a, gemeente_a
):
    colleague = make_user(Role.GRIFFIER, gemeente_a)
    add_browser(receiver, griffier_a, "griffier-phone")
    add_browser(receiver, colleague, "colleague-phone")
    add_browser(receiver, colleague, "colleague-desktop")
    melding = make_melding(raadslid_a, categories=[Category.PHYSICAL])
    assert melding.effective_severity == Severity.ACUTE

    assert deliver() == 2
    assert deliver() == 0
    assert receiver.rejected == []
    assert Counter(p["token"] for p in receiver.accepted) == {
        "griffier-phone": 1,
        "colleague-phone": 1,
        "colleague-desktop": 1,
    }
    for push in receiver.accepted:
        assert push["payload"]["body"] == ACUTE
        assert_no_content(push, melding)


def test_a_melding_that_is_not_acute_is_not_pushed(receiver, raadslid_a, griffier_a):
    add_browser(receiver, griffier_a, "griffier-phone")
    make_melding(raadslid_a, categories=[Category.THREAT])
    assert deliver() == 1
    assert receiver.accepted == []


def test_severity_raised_to_acute_pushes_the_other_triagers_once(
    receiver, raadslid_a, griffier_a, gemeente_a
):
    colleague = make_user(Role.GRIFFIER, gemeente_a)
    add_browser(receiver, griffier_a, "griffier-phone")
    add_browser(receiver, colleague, "colleague-phone")
    melding = make_melding(raadslid_a, categories=[Category.THREAT])
    deliver()

    services.set_severity(melding, Severity.ACUTE, actor=griffier_a)
    services.set_severity(melding, Severity.HIGH, actor=griffier_a)
    services.set_severity(melding, Severity.ACUTE, actor=griffier_a)
    assert deliver() == 1
    assert [p["token"] for p in receiver.accepted] == ["colleague-phone"]
    assert receiver.accepted[0]["payload"]["body"] == ACUTE
    assert_no_content(receiver.accepted[0], melding)


def test_every_escalation_pushes_its_recipients_once(
    receiver, raadslid_a, griffier_a, voorzitter_a, vertrouwenspersoon
):
    add_browser(receiver, griffier_a, "griffier-phone")
    add_browser(receiver, voorzitter_a, "voorzitter-phone")
    add_browser(receiver, vertrouwenspersoon, "otwb-phone")
    with time_machine.travel(MONDAY_10, tick=False):
        melding = make_melding(raadslid_a, categories=[Category.PHYSICAL])  # acute: 1 hour
    deliver()
    receiver.accepted.clear()

    for hours in (1, 2, 3):
        with time_machine.travel(MONDAY_10 + timedelta(hours=hours, minutes=1), tick=False):
            assert escalate_due() == 1
        assert deliver() >= 1
        assert deliver() == 0

    escalations = Notification.objects.filter(kind__startswith="incidents.escalation")
    assert set(escalations.values_list("push_text", flat=True)) == {ESCALATION}
    assert receiver.rejected == []
    assert Counter(p["token"] for p in receiver.accepted) == {
        "griffier-phone": 1,
        "voorzitter-phone": 1,
        "otwb-phone": 1,
    }
    for push in receiver.accepted:
        assert push["payload"]["body"] == ESCALATION
        assert_no_content(push, melding)
