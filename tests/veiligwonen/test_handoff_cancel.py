"""A hand-off that waits for its receipt is taken back when the receiving unit refuses the
case or it was recorded in error: the case returns to BZK in the state it was handed off
from, with the reason; the applicant hears only that it is not handed over and that BZK
goes on; the step is audited; the receipt reminder stops; only the case's own intake
officer can do it, on the case page as through the service."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from veiligwonen import services
from veiligwonen.constants import Status, SweepKind
from veiligwonen.models import SweepRecord
from veiligwonen.workflow import TransitionNotAllowed
from weerbaar.constants import AuditAction
from weerbaar.models import AuditEvent, Notification

from .factories import HOME
from .test_handoff import REFERENCE, THREAT, hand_off, held_intake, receipt, texts

pytestmark = pytest.mark.django_db

NOTE = "Eenheid Midden-Nederland: dreiging valt onder de lokale driehoek, Kees belde terug"


def cancel(cast, app, actor=None, reason="refused", note=NOTE):
    return services.cancel_handoff(app, actor=actor or cast.intake, reason=reason, note=note)


def test_a_refused_hand_off_returns_the_case_to_the_state_it_was_handed_off_from(cast):
    app = hand_off(cast, held_intake(cast))
    app = cancel(cast, app)

    assert app.status == Status.INTAKE_HELD
    assert app.closed_at is None
    app.handoff.refresh_from_db()
    assert app.handoff.cancelled
    assert (app.handoff.cancel_reason, app.handoff.cancel_note) == ("refused", NOTE)
    assert app.handoff.cancelled_by == cast.intake
    last = app.timeline.exclude(to_status="").order_by("-pk").first()
    assert (last.from_status, last.to_status) == (Status.HANDOFF_PENDING, Status.INTAKE_HELD)
    line = (
        AuditEvent.objects.for_object(app)
        .filter(action=AuditAction.TRANSITION, detail__step="cancel_handoff")
        .get()
    )
    assert line.actor == cast.intake
    assert line.detail["reason"] == "refused"
    assert line.detail["to_status"] == Status.INTAKE_HELD
    assert NOTE not in str(line.detail)  # the note is BZK's, not the audit log's
    # The scheme goes on from there.
    app = services.plan_scan(app, actor=cast.intake, when=timezone.now() + timedelta(days=2))
    assert app.status == Status.SCAN_PLANNED


def test_a_hand_off_recorded_in_error_returns_a_new_application_to_the_queue(cast):
    app = hand_off(cast)
    app = cancel(cast, app, reason="error", note="Verkeerde aanvraag aangeklikt")
    assert app.status == Status.SUBMITTED
    assert app.handoff.get_cancel_reason_display() == "De overdracht is ten onrechte vastgelegd"


def test_a_confirmed_hand_off_cannot_be_taken_back(cast):
    app = receipt(cast, hand_off(cast))
    with pytest.raises(TransitionNotAllowed):
        cancel(cast, app)
    app.refresh_from_db()
    assert app.status == Status.HANDED_OFF


@pytest.mark.parametrize(
    "who",
    ["burgemeester", "secretaris", "griffier", "other_secretaris", "adviser", "bva", "intake2"],
)
def test_only_the_cases_own_intake_officer_takes_a_hand_off_back(cast, who):
    app = hand_off(cast)
    with pytest.raises(TransitionNotAllowed):
        cancel(cast, app, actor=getattr(cast, who))
    app.refresh_from_db()
    assert app.status == Status.HANDOFF_PENDING
    assert not app.handoff.cancelled
    assert not Notification.objects.filter(kind="veiligwonen.handoff_cancelled").exists()


def test_the_applicant_and_employer_are_told_only_that_it_is_not_handed_over(cast, client_for):
    app = cancel(cast, hand_off(cast))

    told = texts("veiligwonen.handoff_cancelled", cast.burgemeester)
    assert len(told) == 1
    assert "wordt niet overgedragen" in told[0] and "BZK behandelt uw aanvraag verder" in told[0]
    assert len(texts("veiligwonen.handoff_cancelled", cast.secretaris)) == 1
    for n in Notification.objects.filter(kind="veiligwonen.handoff_cancelled"):
        text = f"{n.subject} {n.body} {n.link}"
        for secret in (NOTE, THREAT, REFERENCE, "Midden-Nederland", "De Vries", "geweigerd", HOME):
            assert secret not in text, secret
    page = client_for(cast.burgemeester).get(app.get_absolute_url()).content.decode()
    assert "Uw aanvraag wordt niet overgedragen aan het Stelsel" in page
    assert "Wij dragen uw aanvraag over" not in page
    assert NOTE not in page and "De ontvangende eenheid neemt de zaak niet over" not in page
    # BZK's officer sees why, and the referral letter is no longer offered.
    page = client_for(cast.intake).get(app.get_absolute_url()).content.decode()
    assert NOTE in page and "De ontvangende eenheid neemt de zaak niet over" in page
    assert reverse("veiligwonen:referral_pdf", args=[app.pk]) not in page
    pdf = client_for(cast.intake).get(reverse("veiligwonen:referral_pdf", args=[app.pk]))
    assert pdf.status_code == 404


def test_the_receipt_reminder_stops_and_a_new_hand_off_gets_its_own(cast, settings):
    settings.VEILIGWONEN_HANDOFF_RECEIPT_DAYS = 2
    app = hand_off(cast)
    first_due = app.handoff.receipt_due_at
    assert services.remind_handoff_receipt(now=first_due) == 1
    app = cancel(cast, app)
    assert not SweepRecord.objects.filter(application=app, kind=SweepKind.HANDOFF).exists()
    assert services.remind_handoff_receipt(now=first_due + timedelta(days=10)) == 0
    assert Notification.objects.filter(kind="veiligwonen.handoff_receipt").count() == 1

    # Referred again, to another unit: the applicant hears it, and BZK is reminded again.
    app = hand_off(cast, app, unit="nctv_dbb")
    assert app.status == Status.HANDOFF_PENDING
    assert not app.handoff.cancelled and app.handoff.cancel_note == ""
    assert len(texts("veiligwonen.handoff_started", cast.burgemeester)) == 2
    assert services.remind_handoff_receipt(now=app.handoff.receipt_due_at) == 1
    assert Notification.objects.filter(kind="veiligwonen.handoff_receipt").count() == 2


def test_taking_back_through_the_case_page_and_forged_forms(cast, client_for):
    app = hand_off(cast)
    step = reverse("veiligwonen:step", args=[app.pk, "cancel_handoff"])
    client = client_for(cast.intake)
    assert "Overdracht terugnemen" in client.get(app.get_absolute_url()).content.decode()

    # A form without a reason, or with one that is not offered, is refused and keeps the note.
    for forged in ({"note": NOTE}, {"reason": "vergeten", "note": NOTE}):
        response = client.post(step, forged)
        assert response.status_code == 400
        assert NOTE in response.content.decode()
    app.refresh_from_db()
    assert app.status == Status.HANDOFF_PENDING

    # The applicant, the employer, a colleague and another organisation's secretaris post a
    # valid form: nothing changes (the other organisation does not even find the case).
    for outsider in (cast.burgemeester, cast.secretaris, cast.intake2, cast.other_secretaris):
        response = client_for(outsider).post(step, {"reason": "error", "note": "x"})
        assert response.status_code in (302, 400, 404)
        app.refresh_from_db()
        assert app.status == Status.HANDOFF_PENDING
    assert client_for(cast.other_secretaris).post(step, {"reason": "error"}).status_code == 404

    response = client.post(step, {"reason": "refused", "note": NOTE})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED
    assert app.handoff.cancel_reason == "refused"
