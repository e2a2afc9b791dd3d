"""The hand-off to the Stelsel Bewaken en Beveiligen: recorded with its unit, contact,
date and reference; a referral PDF with only what the unit needs; the case waits until
receipt is recorded by BZK; the applicant is told only what is true; BZK is reminded once."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from veiligwonen import services
from veiligwonen.constants import CLOSED, Status, SweepKind
from veiligwonen.models import SweepRecord
from veiligwonen.workflow import TransitionNotAllowed
from weerbaar.constants import AuditAction
from weerbaar.models import AuditEvent, Notification
from weerbaar.workdays import add_working_days

from .factories import HOME, HOUSEHOLD, submit

pytestmark = pytest.mark.django_db

THREAT = "Dreigbrief met foto van de voordeur, afzender bekend bij de politie"
INTAKE_FINDINGS = "Vertelde over ruzie met buurman Kees"
URGENCY_NOTE = "Mijn dochter is bang op weg naar school"
REFERENCE = "PL0900-2026123456"


def hand_off(cast, app=None, **overrides):
    app = app or submit(cast, recent_threats=True, urgency_notes=URGENCY_NOTE)
    fields = {
        "unit": "midden_nederland",
        "contact_person": "Inspecteur De Vries",
        "handed_over_on": timezone.localdate(),
        "reference": REFERENCE,
        "note": THREAT,
        **overrides,
    }
    return services.hand_off(app, actor=cast.intake, **fields)


def held_intake(cast):
    app = submit(cast, recent_threats=True, urgency_notes=URGENCY_NOTE)
    app = services.plan_intake(
        app, actor=cast.intake, adviser=cast.adviser, when=timezone.now() - timedelta(hours=1)
    )
    return services.hold_intake(
        app, actor=cast.adviser, findings=INTAKE_FINDINGS, urgency_class="spoed"
    )


def receipt(cast, app, actor=None, **overrides):
    fields = {"received_by": "Brigadier Jansen", "received_on": timezone.localdate(), **overrides}
    return services.record_handoff_receipt(app, actor=actor or cast.intake, **fields)


def texts(kind, user):
    return [
        n.subject + " " + n.body for n in Notification.objects.filter(kind=kind, recipient=user)
    ]


def test_hand_off_waits_for_receipt_and_is_not_closed(cast):
    app = hand_off(cast)
    assert app.status == Status.HANDOFF_PENDING
    assert app.status not in CLOSED and app.closed_at is None
    assert app.handoff.get_unit_display() == "Politie-eenheid Midden-Nederland"
    assert app.handoff.reference == REFERENCE
    assert app.intake_officer == cast.intake
    # Not to be closed another way, nor taken on in the scheme, before the receipt.
    for step in (
        lambda: services.plan_intake(
            app, actor=cast.intake, adviser=cast.adviser, when=timezone.now()
        ),
        lambda: services.withdraw(app, actor=cast.burgemeester),
        lambda: services.mark_not_eligible(app, actor=cast.intake, reason="x"),
    ):
        with pytest.raises(TransitionNotAllowed):
            step()
    app = receipt(cast, app)
    assert app.status == Status.HANDED_OFF
    assert app.closed_at is not None
    assert app.handoff.received_by == "Brigadier Jansen"
    assert app.handoff.receipt_recorded_by == cast.intake
    walked = list(app.timeline.values_list("to_status", flat=True).exclude(to_status=""))
    assert walked[-2:] == [Status.HANDOFF_PENDING, Status.HANDED_OFF]
    steps = AuditEvent.objects.for_object(app).filter(action=AuditAction.TRANSITION)
    assert {"hand_off", "confirm_handoff"} <= set(steps.values_list("detail__step", flat=True))


def test_after_the_intake_bzk_hands_off_and_the_adviser_cannot(cast):
    app = held_intake(cast)
    with pytest.raises(TransitionNotAllowed):
        services.hand_off(
            app,
            actor=cast.adviser,
            unit="nctv_dbb",
            contact_person="x",
            handed_over_on=timezone.localdate(),
            reference="x",
            note="x",
        )
    app = hand_off(cast, app, unit="nctv_dbb")
    assert app.handoff.get_unit_display() == "NCTV / Dienst Bewaken en Beveiligen"


def test_a_colleagues_case_is_not_handed_off_by_another_intake_officer(cast):
    app = services.claim(submit(cast, recent_threats=True), actor=cast.intake)
    with pytest.raises(TransitionNotAllowed):
        services.hand_off(
            app,
            actor=cast.intake2,
            unit="limburg",
            contact_person="x",
            handed_over_on=timezone.localdate(),
            reference="x",
            note="x",
        )
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED


@pytest.mark.parametrize("who", ["burgemeester", "secretaris", "adviser", "bva", "griffier"])
def test_only_bzk_intake_records_the_receipt(cast, who):
    app = hand_off(cast)
    with pytest.raises(TransitionNotAllowed):
        receipt(cast, app, actor=getattr(cast, who))
    app.refresh_from_db()
    assert app.status == Status.HANDOFF_PENDING
    assert app.handoff.receipt_recorded_at is None


def test_receipt_before_the_hand_off_date_is_refused(cast):
    app = hand_off(cast)
    with pytest.raises(TransitionNotAllowed) as refused:
        receipt(cast, app, received_on=timezone.localdate() - timedelta(days=3))
    assert refused.value.field == "received_on"
    app.refresh_from_db()
    assert app.status == Status.HANDOFF_PENDING


def test_applicant_is_told_only_what_is_true_at_each_step(cast, client_for):
    app = hand_off(cast)
    told = texts("veiligwonen.handoff_started", cast.burgemeester)
    assert len(told) == 1
    assert "Wij dragen uw aanvraag over" in told[0]
    assert "contact" not in told[0]  # nobody has said they will contact them yet
    assert not Notification.objects.filter(kind="veiligwonen.handed_off").exists()
    page = client_for(cast.burgemeester).get(app.get_absolute_url()).content.decode()
    assert "Wij dragen uw aanvraag over aan Politie-eenheid Midden-Nederland" in page
    assert "neemt contact met u op" not in page
    assert "U wordt door hen benaderd" not in page
    # The contact person and the reference are BZK's working data.
    assert "Inspecteur De Vries" not in page and REFERENCE not in page

    receipt(cast, app)
    told = texts("veiligwonen.handed_off", cast.burgemeester)
    assert len(told) == 1
    assert "heeft uw aanvraag ontvangen en neemt contact met u op" in told[0]
    page = client_for(cast.burgemeester).get(app.get_absolute_url()).content.decode()
    assert "Politie-eenheid Midden-Nederland heeft uw aanvraag ontvangen en neemt contact" in page
    # The employer hears the same steps, in its own words; nothing of the case in any.
    assert len(texts("veiligwonen.handoff_started", cast.secretaris)) == 1
    assert len(texts("veiligwonen.handed_off", cast.secretaris)) == 1
    for n in Notification.objects.filter(kind__startswith="veiligwonen.hand"):
        text = f"{n.subject} {n.body} {n.link}"
        for secret in (THREAT, REFERENCE, "Midden-Nederland", "De Vries", "Jansen", HOME):
            assert secret not in text


def pdf_text(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_referral_pdf_holds_what_the_unit_needs_and_no_more(cast, client_for):
    app = held_intake(cast)
    app = hand_off(cast, app)
    text = pdf_text(client_for(cast.intake).get(reverse("veiligwonen:referral_pdf", args=[app.pk])))
    for needed in (
        "Politie-eenheid Midden-Nederland",
        REFERENCE,
        "Inspecteur De Vries",
        app.reference,
        str(cast.burgemeester),
        "Geheimelaan 7",
        "06-12345678",
        "Dreigbrief met foto van de voordeur",
    ):
        assert needed in text, needed
    for left_out in (
        "Janneke",  # household
        HOUSEHOLD.split()[1],
        "bang op weg naar school",  # the applicant's own explanation
        "buurman Kees",  # intake findings
        cast.burgemeester.email,
    ):
        assert left_out not in text, left_out
    download = AuditEvent.objects.for_object(app).filter(action=AuditAction.DOWNLOAD).get()
    assert download.detail["document"] == "referral"
    assert download.actor == cast.intake


@pytest.mark.parametrize(
    "who", ["burgemeester", "secretaris", "other_secretaris", "adviser", "bva", "intake2"]
)
def test_referral_pdf_is_for_bzk_intake_of_the_case_only(cast, client_for, who):
    app = hand_off(cast, held_intake(cast))
    url = reverse("veiligwonen:referral_pdf", args=[app.pk])
    response = client_for(getattr(cast, who)).get(url)
    assert response.status_code in (403, 404)
    assert not AuditEvent.objects.filter(action=AuditAction.DOWNLOAD).exists()


def test_no_referral_pdf_without_a_hand_off_or_for_a_guessed_id(cast, client_for):
    app = submit(cast)
    client = client_for(cast.intake)
    assert client.get(reverse("veiligwonen:referral_pdf", args=[app.pk])).status_code == 404
    assert client.get(reverse("veiligwonen:referral_pdf", args=[app.pk + 999])).status_code == 404


def test_hand_off_and_receipt_through_the_case_page(cast, client_for):
    app = submit(cast, recent_threats=True)
    client = client_for(cast.intake)
    step = reverse("veiligwonen:step", args=[app.pk, "hand_off"])
    refused = client.post(step, {"unit": "", "note": THREAT})
    assert refused.status_code == 400
    assert "Kies de politie-eenheid of de NCTV/DBB." in refused.content.decode()
    assert THREAT in refused.content.decode()  # what was typed stays
    response = client.post(
        step,
        {
            "unit": "limburg",
            "contact_person": "Inspecteur De Vries",
            "handed_over_on": timezone.localdate().isoformat(),
            "reference": REFERENCE,
            "note": THREAT,
        },
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.HANDOFF_PENDING
    page = client.get(app.get_absolute_url()).content.decode()
    assert "Ontvangst van de overdracht vastleggen" in page
    assert reverse("veiligwonen:referral_pdf", args=[app.pk]) in page
    confirm = reverse("veiligwonen:step", args=[app.pk, "confirm_handoff"])
    # A forged POST by the applicant or the employer changes nothing.
    for outsider in (cast.burgemeester, cast.secretaris):
        client_for(outsider).post(
            confirm, {"received_by": "Ik", "received_on": timezone.localdate().isoformat()}
        )
        app.refresh_from_db()
        assert app.status == Status.HANDOFF_PENDING
    response = client.post(
        confirm,
        {"received_by": "Brigadier Jansen", "received_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.HANDED_OFF
    # Another organisation's secretaris does not even find the case.
    other = client_for(cast.other_secretaris).get(app.get_absolute_url())
    assert other.status_code == 404


def test_receipt_reminder_goes_to_the_intake_officer_once(cast, settings):
    settings.VEILIGWONEN_HANDOFF_RECEIPT_DAYS = 2
    app = hand_off(cast)
    confirmed = hand_off(cast, submit(cast, cast.wethouder, recent_threats=True))
    receipt(cast, confirmed)
    due = app.handoff.receipt_due_at
    assert due == add_working_days(app.handoff.recorded_at, 2)
    told_before = Notification.objects.filter(recipient=cast.burgemeester).count()
    assert services.remind_handoff_receipt(now=due - timedelta(minutes=1)) == 0
    assert services.remind_handoff_receipt(now=due) == 1
    assert services.remind_handoff_receipt(now=due + timedelta(days=3)) == 0
    reminders = Notification.objects.filter(kind="veiligwonen.handoff_receipt")
    assert [n.recipient for n in reminders] == [cast.intake]
    assert REFERENCE not in reminders[0].body
    assert SweepRecord.objects.filter(application=app, kind=SweepKind.HANDOFF).count() == 1
    assert not SweepRecord.objects.filter(application=confirmed).exists()
    # The applicant hears nothing new: nothing new is true.
    assert Notification.objects.filter(recipient=cast.burgemeester).count() == told_before


# One bad row among healthy ones: tests/veiligwonen/test_sweep_failures.py (handoff).


def test_purge_empties_the_hand_off_names_and_reference(cast, settings):
    app = receipt(cast, hand_off(cast))
    settings.VEILIGWONEN_RETENTION_DAYS = 1
    services.purge_closed(now=timezone.now() + timedelta(days=2))
    app.refresh_from_db()
    assert app.purged_at is not None
    assert (app.handoff.contact_person, app.handoff.reference, app.handoff.received_by) == (
        "",
        "",
        "",
    )
    assert app.handoff.unit == "midden_nederland"  # the bare record stays
