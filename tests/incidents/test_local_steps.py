"""The organisation's own steps (issue 19 §2): a new case gets them with due dates in
working days, an old case keeps what it had, ticking one off is a triager's change with a
timeline and audit line, and the steps page is its keepers' alone."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from incidents.constants import TimelineKind
from incidents.models import CaseStep, LocalStep
from incidents.services.local_steps import save_local_step
from weerbaar.backends import auth as auth_backend
from weerbaar.constants import AuditAction, Role
from weerbaar.models import AuditEvent

from ..conftest import mark_mfa_passed
from ..factories import make_user
from .factories import make_melding
from .helpers import case_url

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
# Friday 18 December 2026; Christmas (Friday 25th) is no working day.
FILED = datetime(2026, 12, 18, 10, 0, tzinfo=AMS)


def _step(organisation, actor, **data):
    values = {
        "title": "Burgemeester informeren",
        "title_en": "Inform the mayor",
        "owner_role": Role.GRIFFIER,
        "due_days": 5,
        "order": 10,
        "active": True,
        **data,
    }
    return save_local_step(organisation=organisation, actor=actor, data=values)


def test_new_case_gets_active_local_steps_due_in_working_days(
    raadslid_a, griffier_a, gemeente_a, gemeente_b, secretaris_b
):
    _step(gemeente_a, griffier_a)
    _step(gemeente_a, griffier_a, title="Fractievoorzitter bellen", due_days=1, order=20)
    _step(gemeente_a, griffier_a, title="Uitgezet", active=False)
    _step(gemeente_b, secretaris_b, title="Van een andere gemeente")
    melding = make_melding(raadslid_a, now=FILED)
    steps = list(CaseStep.objects.filter(melding=melding))
    assert [s.title for s in steps] == ["Burgemeester informeren", "Fractievoorzitter bellen"]
    # 5 working days from Friday 18 December: 21, 22, 23, 24, (Christmas, weekend) 28.
    assert steps[0].due_at == datetime(2026, 12, 28, 10, 0, tzinfo=AMS)
    assert steps[1].due_at == datetime(2026, 12, 21, 10, 0, tzinfo=AMS)
    assert steps[0].owner_role == Role.GRIFFIER and steps[0].title_en == "Inform the mayor"


def test_old_case_keeps_its_steps_when_the_organisation_changes_them(
    client_for, raadslid_a, griffier_a, gemeente_a
):
    old = make_melding(raadslid_a)
    step = _step(gemeente_a, griffier_a)
    new = make_melding(raadslid_a)
    assert not CaseStep.objects.filter(melding=old).exists()
    step.refresh_from_db()
    save_local_step(
        organisation=gemeente_a,
        actor=griffier_a,
        step=step,
        data={"title": "Nieuwe titel", "active": False},
    )
    assert CaseStep.objects.get(melding=new).title == "Burgemeester informeren"
    assert not CaseStep.objects.filter(melding=old).exists()
    page = client_for(griffier_a).get(case_url(new)).content.decode()
    assert "Burgemeester informeren" in page and "eigen stap" in page
    assert (
        "Burgemeester informeren" not in client_for(griffier_a).get(case_url(old)).content.decode()
    )


def test_ticking_a_local_step_is_audited_on_the_timeline(
    client_for, raadslid_a, griffier_a, gemeente_a, griffier_b
):
    _step(gemeente_a, griffier_a)
    melding = make_melding(raadslid_a)
    own = CaseStep.objects.get(melding=melding)
    url = case_url(melding, "incidents:case_step", own.pk)
    assert client_for(griffier_b).post(url, {"done": "on"}).status_code == 404
    assert client_for(raadslid_a).post(url, {"done": "on"}).status_code == 404
    assert client_for(griffier_a).post(url, {"done": "on"}).status_code == 302
    own.refresh_from_db()
    assert own.done_by == griffier_a and own.done_at is not None
    line = melding.timeline.filter(kind=TimelineKind.STEP).get()
    assert "Burgemeester informeren" in line.text and line.internal
    assert (
        AuditEvent.objects.for_object(melding)
        .filter(action=AuditAction.UPDATE, actor=griffier_a, detail__case_step=own.pk)
        .exists()
    )
    client_for(griffier_a).post(url, {})
    own.refresh_from_db()
    assert own.done_at is None


def test_steps_page_only_for_the_organisations_keepers(
    client_for, griffier_a, secretaris_a, raadslid_a, griffier_b, gemeente_a, otwb_org
):
    url = reverse("incidents:local_steps", args=[gemeente_a.pk])
    beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, otwb_org)
    for outsider in (raadslid_a, griffier_b):
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(outsider).post(url, {"title": "x"}).status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED, actor=griffier_b).exists()
    for keeper in (griffier_a, secretaris_a, beheerder):
        assert client_for(keeper).get(url).status_code == 200
    assert not LocalStep.objects.exists()


def test_steps_page_adds_edits_and_deactivates_with_audit_and_csrf(
    client_for, griffier_a, gemeente_a
):
    url = reverse("incidents:local_steps", args=[gemeente_a.pk])
    data = {
        "title": "Wijkagent informeren",
        "owner_role": "secretaris",
        "due_days": "2",
        "order": "5",
        "active": "on",
    }
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(griffier_a, backend=auth_backend.PATH)
    mark_mfa_passed(strict, griffier_a)
    assert strict.post(url, data).status_code == 403
    client = client_for(griffier_a)
    assert client.post(url, data).status_code == 302
    step = LocalStep.objects.get(organisation=gemeente_a)
    assert step.due_days == 2 and step.owner_role == Role.SECRETARIS
    created = AuditEvent.objects.for_object(step).get(action=AuditAction.CREATE)
    assert created.actor == griffier_a and created.organisation_id == gemeente_a.pk
    edit = reverse("incidents:local_step", args=[gemeente_a.pk, step.pk])
    assert client.post(edit, {**data, "active": ""}).status_code == 302
    step.refresh_from_db()
    assert not step.active
    changed = AuditEvent.objects.for_object(step).get(action=AuditAction.UPDATE)
    assert changed.detail["fields"] == ["active"]
    assert client.post(url, {**data, "due_days": "99"}).status_code == 400
