"""The write path: transitions per the table, one transaction with timeline and audit,
notifications without content."""

import pytest
from django.core.exceptions import ValidationError

from incidents import services, workflow
from incidents.constants import Category, Severity, Status, Step
from incidents.models import Melding, StepCheck, TimelineEntry
from weerbaar.constants import AuditAction
from weerbaar.models import AuditEvent, Notification

from .factories import make_melding

pytestmark = pytest.mark.django_db


def test_whole_path_raadslid_to_closed_writes_timeline_audit_and_notifies(raadslid_a, griffier_a):
    melding = make_melding(raadslid_a)
    melding = services.transition(melding, Status.IN_TRIAGE, actor=griffier_a)
    assert melding.acknowledged_at is not None and melding.assigned_to == griffier_a
    assert StepCheck.objects.filter(melding=melding, step=Step.ACKNOWLEDGE).exists()
    services.transition(melding, Status.IN_FOLLOW_UP, actor=griffier_a)
    melding = services.transition(melding, Status.CLOSED, actor=griffier_a)
    assert melding.status == Status.CLOSED and melding.closed_at
    services.transition(melding, Status.IN_FOLLOW_UP, actor=griffier_a)  # reopen
    summaries = [line.text for line in TimelineEntry.objects.filter(melding=melding)]
    assert summaries == [
        "Concept opgeslagen",
        "Melding verstuurd",
        "Ontvangst bevestigd",
        "In opvolging genomen",
        "Afgesloten",
        "Heropend",
    ]
    transitions = AuditEvent.objects.for_object(melding).filter(action=AuditAction.TRANSITION)
    assert transitions.count() == 5
    to_reporter = Notification.objects.filter(recipient=raadslid_a)
    assert to_reporter.count() == 4
    for n in Notification.objects.all():
        assert "bedreigingen" not in n.subject + n.body


def test_reporter_cannot_acknowledge_and_triager_cannot_withdraw(raadslid_a, griffier_a):
    melding = make_melding(raadslid_a)
    with pytest.raises(services.NotAllowed):
        services.transition(melding, Status.IN_TRIAGE, actor=raadslid_a)
    with pytest.raises(services.NotAllowed):
        services.withdraw(melding, actor=griffier_a)


def test_griffier_of_other_gemeente_cannot_touch_the_melding(raadslid_a, griffier_b):
    melding = make_melding(raadslid_a)
    with pytest.raises(services.NotAllowed):
        services.transition(melding, Status.IN_TRIAGE, actor=griffier_b)
    with pytest.raises(services.NotAllowed):
        services.note(melding, "x", actor=griffier_b)
    assert Melding.objects.get(pk=melding.pk).status == Status.SUBMITTED


def test_transition_outside_table_is_refused_and_nothing_written(raadslid_a, griffier_a):
    melding = make_melding(raadslid_a)
    before = TimelineEntry.objects.count()
    with pytest.raises(workflow.TransitionError):
        services.transition(melding, Status.CLOSED, actor=griffier_a)
    assert TimelineEntry.objects.count() == before


def test_withdraw_and_resubmit(raadslid_a, griffier_a):
    melding = make_melding(raadslid_a)
    services.withdraw(melding, actor=raadslid_a)
    assert Melding.objects.get(pk=melding.pk).status == Status.WITHDRAWN
    assert (
        not Melding.objects.triageable_by(griffier_a)
        .filter(pk=melding.pk, status=Status.SUBMITTED)
        .exists()
    )
    melding = services.submit(melding, actor=raadslid_a)
    assert melding.status == Status.SUBMITTED


def test_incomplete_draft_cannot_be_sent(raadslid_a):
    draft = make_melding(raadslid_a, submit=False, description="", categories=())
    with pytest.raises(ValidationError):
        services.submit(draft, actor=raadslid_a)
    assert Melding.objects.get(pk=draft.pk).status == Status.DRAFT


def test_severity_proposal_from_categories_and_triager_decides(raadslid_a, griffier_a):
    melding = make_melding(raadslid_a, categories=[Category.VERBAL, Category.PHYSICAL])
    assert melding.severity_proposal == Severity.ACUTE
    assert make_melding(raadslid_a, categories=[Category.VERBAL]).severity_proposal == "low"
    melding = services.set_severity(melding, Severity.MEDIUM, actor=griffier_a)
    assert melding.severity == Severity.MEDIUM
    assert melding.ack_deadline > melding.submitted_at


def test_sensitive_fields_are_encrypted_at_rest(raadslid_a):
    from django.db import connection

    melding = make_melding(raadslid_a, perpetrator_details="Jan Jansen, Dorpsstraat 1")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT description, perpetrator_details FROM incidents_melding WHERE id = %s",
            [melding.pk],
        )
        description, perpetrator = cursor.fetchone()
    assert "bedreigingen" not in description and "Jansen" not in perpetrator
    assert Melding.objects.get(pk=melding.pk).perpetrator_details.startswith("Jan Jansen")


def test_messages_go_both_ways_and_reporter_is_notified_without_content(raadslid_a, griffier_a):
    melding = make_melding(raadslid_a)
    services.post_message(melding, "Kunnen we morgen bellen?", actor=griffier_a)
    services.post_message(melding, "Ja, na 10 uur.", actor=raadslid_a)
    assert [m.body for m in melding.messages.all()] == [
        "Kunnen we morgen bellen?",
        "Ja, na 10 uur.",
    ]
    note = Notification.objects.filter(recipient=raadslid_a, kind="incidents.message").get()
    assert "bellen" not in note.body


def test_assign_only_to_someone_who_triages_it(raadslid_a, griffier_a, griffier_b, gemeente_a):
    from weerbaar.constants import Role

    from ..factories import make_user

    colleague = make_user(Role.GRIFFIER, gemeente_a)
    melding = make_melding(raadslid_a)
    services.assign(melding, colleague, actor=griffier_a)
    assert Melding.objects.get(pk=melding.pk).assigned_to == colleague
    with pytest.raises(services.NotAllowed):
        services.assign(melding, griffier_b, actor=griffier_a)


def test_share_grants_view_and_revoke_takes_it_back(raadslid_a, griffier_a, griffier_b):
    from incidents.services import followup

    melding = make_melding(raadslid_a)
    followup.share(melding, griffier_b, actor=griffier_a)
    assert Melding.objects.visible_to(griffier_b).filter(pk=melding.pk).exists()
    assert not services.is_triager(griffier_b, melding)
    followup.revoke(melding, griffier_b, actor=griffier_a)
    assert not Melding.objects.visible_to(griffier_b).filter(pk=melding.pk).exists()
    actions = set(AuditEvent.objects.for_object(melding).values_list("action", flat=True))
    assert {AuditAction.GRANT, AuditAction.REVOKE} <= actions
