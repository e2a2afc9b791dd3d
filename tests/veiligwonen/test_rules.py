"""The scheme's rules on the case page: nothing recorded before its planned time, no adviser
in two places at once, no advice to the BVA without a summary. Each refusal is a Dutch
message beside the form, and what the user typed is still there."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from veiligwonen import services
from veiligwonen.constants import Status
from veiligwonen.models import Application, MeasureType
from veiligwonen.workflow import TransitionNotAllowed

from .factories import submit, to_scan_done

pytestmark = pytest.mark.django_db


def step_url(app, step):
    return reverse("veiligwonen:step", args=[app.pk, step])


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def tomorrow_at(hour, minute=0):
    day = timezone.localtime() + timedelta(days=1)
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0)


def test_intake_is_not_recorded_before_its_planned_time(cast, client_for):
    when = tomorrow_at(10)
    app = services.plan_intake(submit(cast), actor=cast.intake, adviser=cast.adviser, when=when)
    adviser = client_for(cast.adviser)
    data = {"findings": "Buren zagen een auto posten", "urgency_class": "hoog"}
    response = adviser.post(step_url(app, "hold_intake"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Het intakegesprek is gepland op" in page
    assert "U kunt het vastleggen vanaf dat moment" in page
    assert "Buren zagen een auto posten" in page  # what was typed is still there
    assert Application.objects.get(pk=app.pk).status == Status.INTAKE_PLANNED

    with time_machine.travel(when + timedelta(minutes=5)):
        # A new sign-in: a day later the first session has timed out.
        client_for(cast.adviser).post(step_url(app, "hold_intake"), data)
    app.refresh_from_db()
    assert app.status == Status.INTAKE_HELD
    assert app.intake_findings == "Buren zagen een auto posten"


def test_scan_is_not_recorded_before_its_planned_time(cast, client_for):
    started = timezone.now() - timedelta(hours=2)
    app = services.plan_intake(submit(cast), actor=cast.intake, adviser=cast.adviser, when=started)
    app = services.hold_intake(app, actor=cast.adviser, findings="ok", urgency_class="normaal")
    scan_at = tomorrow_at(14)
    app = services.plan_scan(app, actor=cast.adviser, when=scan_at)
    adviser = client_for(cast.adviser)
    response = adviser.post(step_url(app, "record_scan"), {"wonen": "Achterdeur zonder slot"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "De woningscan is gepland op" in page
    assert "Achterdeur zonder slot" in page
    assert Application.objects.get(pk=app.pk).status == Status.SCAN_PLANNED
    with pytest.raises(TransitionNotAllowed):
        services.record_scan(app, actor=cast.adviser, findings_by_domain={"wonen": "x"})
    with time_machine.travel(scan_at):
        services.record_scan(app, actor=cast.adviser, findings_by_domain={"wonen": "x"})
    assert Application.objects.get(pk=app.pk).status == Status.SCAN_DONE


def test_an_adviser_is_not_double_booked(cast, client_for):
    ten = tomorrow_at(10)
    services.plan_intake(submit(cast), actor=cast.intake, adviser=cast.adviser, when=ten)
    second = submit(cast, cast.wethouder)
    intake = client_for(cast.intake)
    half_past = local(ten + timedelta(minutes=30))
    response = intake.post(
        step_url(second, "plan_intake"), {"adviser": cast.adviser.pk, "when": half_past}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"{cast.adviser} heeft op" in page
    assert "al een afspraak" in page
    assert f'value="{half_past}"' in page  # the time typed is kept
    assert Application.objects.get(pk=second.pk).status == Status.SUBMITTED

    # Another adviser at the same time, or this one once the slot has ended, is fine.
    services.plan_intake(second, actor=cast.intake, adviser=cast.other_adviser, when=ten)
    assert Application.objects.get(pk=second.pk).adviser == cast.other_adviser


@pytest.mark.django_db(transaction=True)
def test_two_officers_booking_the_same_hour_at_once_cannot_both_succeed(cast):
    ten = tomorrow_at(10)
    apps = [submit(cast), submit(cast, cast.wethouder)]
    barrier = threading.Barrier(2)
    booked, refused, errors = [], [], []

    def book(app, officer):
        try:
            barrier.wait()
            services.plan_intake(app, actor=officer, adviser=cast.adviser, when=ten)
            booked.append(app.pk)
        except TransitionNotAllowed:
            refused.append(app.pk)
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=book, args=(app, officer))
        for app, officer in zip(apps, (cast.intake, cast.intake2), strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(booked) == 1 and len(refused) == 1
    assert Application.objects.filter(adviser=cast.adviser, intake_planned_for=ten).count() == 1


def test_a_slot_ends_when_its_length_is_over(cast):
    ten = tomorrow_at(10)
    services.plan_intake(submit(cast), actor=cast.intake, adviser=cast.adviser, when=ten)
    at_eleven = services.plan_intake(
        submit(cast, cast.wethouder),
        actor=cast.intake,
        adviser=cast.adviser,
        when=ten + timedelta(hours=1),
    )
    assert at_eleven.status == Status.INTAKE_PLANNED
    early = submit(cast, cast.wethouder)
    with pytest.raises(TransitionNotAllowed, match="al een afspraak"):
        # From 9:01 the hour runs into the intake at ten.
        services.plan_intake(
            early, actor=cast.intake, adviser=cast.adviser, when=ten - timedelta(minutes=59)
        )
    nine = services.plan_intake(
        early, actor=cast.intake, adviser=cast.adviser, when=ten - timedelta(hours=1)
    )
    assert nine.status == Status.INTAKE_PLANNED


def test_a_woningscan_takes_two_hours_of_the_advisers_diary(cast):
    started = timezone.now() - timedelta(hours=2)
    app = services.plan_intake(submit(cast), actor=cast.intake, adviser=cast.adviser, when=started)
    app = services.hold_intake(app, actor=cast.adviser, findings="ok", urgency_class="normaal")
    scan_at = tomorrow_at(9)
    services.plan_scan(app, actor=cast.adviser, when=scan_at)
    other = submit(cast, cast.wethouder)
    with pytest.raises(TransitionNotAllowed, match="al een afspraak"):
        services.plan_intake(
            other, actor=cast.intake, adviser=cast.adviser, when=scan_at + timedelta(minutes=90)
        )
    # A held intake no longer takes a slot: the first case's intake time is free again.
    services.plan_intake(other, actor=cast.intake, adviser=cast.adviser, when=started)
    assert Application.objects.get(pk=other.pk).status == Status.INTAKE_PLANNED


def _draft_with_measure(cast):
    app = to_scan_done(cast, submit(cast))
    app = services.start_advice(app, actor=cast.adviser)
    services.add_measure(app, actor=cast.adviser, measure_type=MeasureType.objects.get(code="pkvw"))
    return app


def test_advice_does_not_go_to_review_without_a_summary(cast, client_for):
    app = _draft_with_measure(cast)
    adviser = client_for(cast.adviser)
    response = adviser.post(step_url(app, "submit_for_review"), {"summary": "  "})
    assert response.status_code == 400
    assert "Schrijf eerst een samenvatting van het advies" in response.content.decode()
    assert Application.objects.get(pk=app.pk).status == Status.ADVICE_DRAFT
    with pytest.raises(TransitionNotAllowed, match="samenvatting"):
        services.submit_for_review(app, actor=cast.adviser)

    adviser.post(step_url(app, "submit_for_review"), {"summary": "Eerst het hang- en sluitwerk"})
    app.refresh_from_db()
    assert app.status == Status.UNDER_REVIEW
    assert app.advice.summary == "Eerst het hang- en sluitwerk"


def test_refused_review_keeps_the_summary_typed(cast, client_for):
    app = to_scan_done(cast, submit(cast))
    app = services.start_advice(app, actor=cast.adviser)  # no measure yet
    response = client_for(cast.adviser).post(
        step_url(app, "submit_for_review"), {"summary": "Camera bij de voordeur"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Een advies bevat ten minste één maatregel." in page
    assert "Camera bij de voordeur" in page
    assert Application.objects.get(pk=app.pk).status == Status.ADVICE_DRAFT


def test_selects_offer_a_dutch_choice_not_dashes_or_onbekend(cast, client_for):
    app = submit(cast)
    page = client_for(cast.intake).get(app.get_absolute_url()).content.decode()
    assert "Kies een adviseur" in page
    assert "---------" not in page
    queue = client_for(cast.intake).get(reverse("veiligwonen:queue")).content.decode()
    assert "---------" not in queue
    assert "Onbekend" not in queue
    draft = to_scan_done(cast, submit(cast, cast.wethouder))
    services.start_advice(draft, actor=cast.adviser)
    editing = client_for(cast.adviser).get(draft.get_absolute_url()).content.decode()
    assert "Kies een maatregel" in editing
    assert "---------" not in editing


def test_overdue_filter_is_a_checkbox(cast, client_for):
    late = submit(cast)
    Application.objects.filter(pk=late.pk).update(sla_due_at=timezone.now() - timedelta(days=1))
    submit(cast, cast.wethouder)
    client = client_for(cast.intake)
    page = client.get(reverse("veiligwonen:queue"), {"te_laat": "on"}).content.decode()
    assert 'type="checkbox" name="te_laat"' in page
    assert late.reference in page
    assert "1 aanvraag" in page


def test_adding_a_measure_without_choosing_one_keeps_the_notes(cast, client_for):
    app = to_scan_done(cast, submit(cast))
    services.start_advice(app, actor=cast.adviser)
    response = client_for(cast.adviser).post(
        step_url(app, "add_measure"), {"measure_type": "", "notes": "Bij de schuur"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kies een maatregel uit de catalogus." in page
    assert "Bij de schuur" in page
    assert not app.advice.measures.exists()
