import pytest

from veiligwonen import services, workflow
from veiligwonen.constants import MeasureStatus, Status, TimelineKind
from veiligwonen.workflow import TransitionNotAllowed
from weerbaar import memberships
from weerbaar.constants import AuditAction, Role
from weerbaar.models import AuditEvent, Notification

from .factories import HOME, HOUSEHOLD, submit, to_issued, to_review, to_scan_done

pytestmark = pytest.mark.django_db


def test_whole_path_from_application_to_completed_measures(cast):
    app = submit(cast, recent_threats=True)
    app = to_issued(cast, app)
    assert app.status == Status.ADVICE_ISSUED
    measures = list(app.advice.measures.order_by("pk"))
    services.update_measure(
        measures[0], actor=cast.secretaris, status=MeasureStatus.DONE, actual_cost=2400
    )
    app.refresh_from_db()
    assert app.status == Status.MEASURES_IN_PROGRESS
    services.update_measure(
        measures[1],
        actor=cast.secretaris,
        status=MeasureStatus.DECLINED,
        decline_reason="Woningeigenaar wil geen camera",
    )
    app.refresh_from_db()
    assert app.status == Status.COMPLETED
    assert app.closed_at is not None
    walked = list(app.timeline.filter(kind=TimelineKind.STATUS).values_list("to_status", flat=True))
    assert walked == [
        Status.SUBMITTED,
        Status.INTAKE_PLANNED,
        Status.INTAKE_HELD,
        Status.SCAN_PLANNED,
        Status.SCAN_DONE,
        Status.ADVICE_DRAFT,
        Status.UNDER_REVIEW,
        Status.ADVICE_ISSUED,
        Status.MEASURES_IN_PROGRESS,
        Status.COMPLETED,
    ]
    transitions = AuditEvent.objects.for_object(app).filter(action=AuditAction.TRANSITION)
    assert transitions.count() == len(walked) - 1


def test_bva_returns_advice_and_adviser_resubmits(cast):
    app = to_review(cast, submit(cast))
    app = services.return_advice(app, actor=cast.bva, remarks="Voeg een paniekknop toe")
    assert app.status == Status.RETURNED
    assert Notification.objects.filter(
        recipient=cast.adviser, kind="veiligwonen.advice_returned"
    ).exists()
    with pytest.raises(TransitionNotAllowed):
        services.issue_advice(app, actor=cast.bva)
    app = services.resume_draft(app, actor=cast.adviser)
    from veiligwonen.models import MeasureType

    services.add_measure(
        app, actor=cast.adviser, measure_type=MeasureType.objects.get(code="paniekknop")
    )
    app = services.submit_for_review(app, actor=cast.adviser)
    assert app.status == Status.UNDER_REVIEW
    app = services.issue_advice(app, actor=cast.bva2)
    assert app.status == Status.ADVICE_ISSUED
    assert app.advice.reviewer == cast.bva2
    assert app.advice.measures.count() == 3


def test_bva_who_wrote_the_advice_cannot_review_it(cast, bzk):
    memberships.seed(user=cast.adviser, organisation=bzk, role=Role.BVA, source="test")
    cast.adviser.__dict__.pop("active_memberships", None)
    app = to_review(cast, submit(cast))
    with pytest.raises(TransitionNotAllowed, match="zelf opgesteld"):
        services.issue_advice(app, actor=cast.adviser)
    with pytest.raises(TransitionNotAllowed, match="zelf opgesteld"):
        services.return_advice(app, actor=cast.adviser, remarks="prima")
    app.refresh_from_db()
    assert app.status == Status.UNDER_REVIEW


def test_only_the_bva_reviews_and_only_the_assigned_adviser_drafts(cast):
    app = to_review(cast, submit(cast))
    with pytest.raises(TransitionNotAllowed):
        services.issue_advice(app, actor=cast.intake)
    with pytest.raises(TransitionNotAllowed):
        services.issue_advice(app, actor=cast.secretaris)
    app2 = to_scan_done(cast, submit(cast, cast.wethouder))
    with pytest.raises(TransitionNotAllowed):
        services.start_advice(app2, actor=cast.other_adviser)


def test_intake_reclassifies_and_rescores(cast):
    app = submit(cast)
    assert app.urgency_class == "normaal"
    before = app.score
    from datetime import timedelta

    from django.utils import timezone

    app = services.plan_intake(
        app, actor=cast.intake, adviser=cast.adviser, when=timezone.now() - timedelta(hours=1)
    )
    app = services.hold_intake(
        app, actor=cast.adviser, findings="Nieuwe dreiging genoemd", urgency_class="spoed"
    )
    assert app.urgency_class == "spoed"
    assert app.score >= before + 900
    assert app.timeline.filter(kind=TimelineKind.RECLASSIFIED).count() == 1
    assert AuditEvent.objects.for_object(app).filter(detail__change="reclassified").exists()


def test_no_notification_carries_private_content(cast):
    to_issued(cast, submit(cast, recent_threats=True))
    assert Notification.objects.exists()
    for n in Notification.objects.all():
        text = f"{n.subject} {n.body} {n.link}"
        for secret in (HOME, HOUSEHOLD, "06-12345678", "achterdeur", "Achterdeur"):
            assert secret not in text


def test_steps_out_of_order_are_refused(cast):
    app = submit(cast)
    with pytest.raises(TransitionNotAllowed):
        services.record_scan(app, actor=cast.adviser, findings_by_domain={"wonen": "x"})
    with pytest.raises(TransitionNotAllowed):
        workflow.check("issue_advice", Status.SUBMITTED, {workflow.CaseRole.BVA})
    assert workflow.allowed_actions(Status.SUBMITTED, {workflow.CaseRole.APPLICANT}) == ["withdraw"]


def test_applicant_withdraws(cast):
    app = services.withdraw(submit(cast), actor=cast.burgemeester)
    assert app.status == Status.WITHDRAWN
