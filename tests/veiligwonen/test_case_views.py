import pytest
from django.urls import reverse

from veiligwonen.constants import Status
from veiligwonen.models import Application, MeasureType
from weerbaar import memberships
from weerbaar.constants import Role

from .factories import submit, to_review, to_scan_done

pytestmark = pytest.mark.django_db


def step_url(app, step):
    return reverse("veiligwonen:step", args=[app.pk, step])


def test_bva_returns_and_approves_through_the_case_page(cast, client_for):
    app = to_review(cast, submit(cast))
    bva = client_for(cast.bva)
    page = bva.get(app.get_absolute_url()).content.decode()
    assert "Advies beoordelen" in page
    missing = bva.post(step_url(app, "review"), {"decision": "return", "remarks": ""})
    assert Application.objects.get(pk=app.pk).status == Status.UNDER_REVIEW
    assert missing.status_code == 400
    assert "Geef aan wat er aan het advies moet veranderen." in missing.content.decode()
    bva.post(step_url(app, "review"), {"decision": "return", "remarks": "Paniekknop erbij"})
    assert Application.objects.get(pk=app.pk).status == Status.RETURNED
    adviser = client_for(cast.adviser)
    assert "Paniekknop erbij" in adviser.get(app.get_absolute_url()).content.decode()
    adviser.post(step_url(app, "resume_draft"))
    panic = MeasureType.objects.get(code="paniekknop")
    adviser.post(step_url(app, "add_measure"), {"measure_type": panic.pk})
    adviser.post(step_url(app, "submit_for_review"), {"summary": "Paniekknop erbij"})
    client_for(cast.bva2).post(step_url(app, "review"), {"decision": "approve"})
    app.refresh_from_db()
    assert app.status == Status.ADVICE_ISSUED
    assert app.advice.measures.filter(measure_type=panic).exists()


def test_the_author_gets_no_review_form(cast, client_for, bzk):
    memberships.seed(user=cast.adviser, organisation=bzk, role=Role.BVA, source="test")
    app = to_review(cast, submit(cast))
    client = client_for(cast.adviser)
    assert "Advies beoordelen" not in client.get(app.get_absolute_url()).content.decode()
    client.post(step_url(app, "review"), {"decision": "approve"})
    assert Application.objects.get(pk=app.pk).status == Status.UNDER_REVIEW


def test_an_invalid_step_form_comes_back_with_its_errors(cast, client_for):
    app = to_scan_done(cast, submit(cast))
    app = Application.objects.get(pk=app.pk)
    Application.objects.filter(pk=app.pk).update(status=Status.INTAKE_HELD)
    response = client_for(cast.adviser).post(step_url(app, "plan_scan"), {"when": "gisteren"})
    assert response.status_code == 400
    assert 'id="plan_scan-when"' in response.content.decode()
    assert Application.objects.get(pk=app.pk).status == Status.INTAKE_HELD


def test_home_page_lists_veilig_wonen_for_the_right_roles(cast, client_for):
    assert "/veilig-wonen/wachtrij/" in client_for(cast.intake).get("/").content.decode()
    applicant_home = client_for(cast.burgemeester).get("/").content.decode()
    assert "/veilig-wonen/aanvragen/nieuw/" in applicant_home
    assert "/veilig-wonen/wachtrij/" not in applicant_home
