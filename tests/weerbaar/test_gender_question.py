"""The self-declared gender (issue 23): asked once on the start page of someone who reports,
changed and removed on their own details page, audited without its value, never shown on a
case, in an export or to anyone else, and gone after erasure."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_user
from tests.incidents.factories import make_melding
from weerbaar.constants import AuditAction, Gender, Position, Role
from weerbaar.models import AuditEvent, GenderDeclaration
from weerbaar.retention import erase_person, plan_erasure

QUESTION = "Eén vraag voor de monitor"


@pytest.fixture
def raadslid(gemeente_a):
    return make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID, full_name="Vera Raad")


def answer(client, value):
    return client.post(reverse("gender_answer"), {"gender": value})


def test_reporter_is_asked_on_the_start_page_until_answered(client_for, raadslid):
    client = client_for(raadslid)
    page = client.get(reverse("home")).content.decode()
    assert QUESTION in page
    assert "Niemand ziet uw antwoord" in page
    assert answer(client, Gender.VROUW).status_code == 302
    assert GenderDeclaration.objects.get(user=raadslid).gender == Gender.VROUW
    assert QUESTION not in client.get(reverse("home")).content.decode()


def test_not_now_is_remembered_and_counts_as_no_answer(client_for, raadslid):
    client = client_for(raadslid)
    client.post(reverse("gender_answer"), {"niet-nu": "1"})
    assert GenderDeclaration.objects.get(user=raadslid).gender == ""
    assert QUESTION not in client.get(reverse("home")).content.decode()


def test_griffier_is_not_asked(client_for, griffier_a):
    assert QUESTION not in client_for(griffier_a).get(reverse("home")).content.decode()


def test_an_unknown_answer_is_refused_in_dutch(client_for, raadslid):
    client = client_for(raadslid)
    response = client.post(reverse("own_details"), {"gender": "robot"})
    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not GenderDeclaration.objects.filter(user=raadslid).exists()


def test_person_changes_and_removes_the_answer_on_own_page(client_for, raadslid):
    client = client_for(raadslid)
    answer(client, Gender.MAN)
    page = client.get(reverse("own_details")).content.decode()
    assert re.search(r'<input[^>]*value="man"[^>]*checked', page)
    assert "Mijn antwoord verwijderen" in page
    client.post(reverse("own_details"), {"gender": Gender.ANDERS})
    assert GenderDeclaration.objects.get(user=raadslid).gender == Gender.ANDERS
    client.post(reverse("own_details"), {"verwijderen": "1"})
    assert GenderDeclaration.objects.get(user=raadslid).gender == ""
    assert "Mijn antwoord verwijderen" not in client.get(reverse("own_details")).content.decode()


def test_audit_records_the_change_never_the_value(client_for, raadslid):
    client = client_for(raadslid)
    answer(client, Gender.VROUW)
    client.post(reverse("own_details"), {"verwijderen": "1"})
    lines = AuditEvent.objects.filter(action=AuditAction.UPDATE, actor=raadslid)
    assert lines.count() == 2
    for line in lines:
        text = str(line.detail).lower()
        assert line.detail.get("fields") == ["gender"]
        assert "vrouw" not in text


def test_gender_never_on_the_case_or_in_exports(client_for, raadslid, griffier_a):
    melding = make_melding(raadslid)
    answer(client_for(raadslid), Gender.VROUW)
    triager = client_for(griffier_a)
    pages = [
        triager.get(reverse("incidents:case", args=[melding.pk])),
        triager.get(reverse("incidents:export")),
        client_for(raadslid).get(reverse("incidents:case", args=[melding.pk])),
    ]
    for response in pages:
        assert response.status_code == 200
        body = b"".join(response) if response.streaming else response.content
        text = body.decode("utf-8-sig").lower()
        assert "vrouw" not in text and "gender" not in text


def test_erasure_removes_the_answer(raadslid):
    GenderDeclaration.objects.create(user=raadslid, gender=Gender.VROUW)
    assert "antwoord op de vraag naar gender" in plan_erasure(raadslid).erased
    erase_person(raadslid)
    assert not GenderDeclaration.objects.filter(user=raadslid).exists()
