"""The same filing form sent again (a retry after the "probeer het opnieuw" page, a double
click, back and resend) files one melding: the form's hidden key is kept on the melding."""

import re

from django.db import OperationalError
from django.urls import reverse

from incidents.models import Melding
from tests.incidents.helpers import form_data

KEY = re.compile(r'name="submission_key" value="([0-9a-f-]{36})"')


def the_form_key(client):
    return KEY.search(client.get(reverse("incidents:new")).content.decode()).group(1)


def test_the_same_form_sent_twice_files_one_melding(client_for, raadslid_a, griffier_a):
    client = client_for(raadslid_a)
    data = form_data(submission_key=the_form_key(client))
    first = client.post(reverse("incidents:new"), data)
    again = client.post(reverse("incidents:new"), data)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Melding.objects.filter(reporter=raadslid_a).count() == 1


def test_a_draft_sent_again_from_the_same_form_becomes_the_sent_melding(client_for, raadslid_a):
    client = client_for(raadslid_a)
    data = form_data(submission_key=the_form_key(client))
    client.post(reverse("incidents:new"), {**data, "action": "draft"})
    response = client.post(reverse("incidents:new"), data)
    melding = Melding.objects.get(reporter=raadslid_a)
    assert response["Location"] == reverse("incidents:sent", args=[melding.pk])
    assert melding.status == "submitted"


def test_each_new_form_has_its_own_key(client_for, raadslid_a):
    client = client_for(raadslid_a)
    assert the_form_key(client) != the_form_key(client)


def test_a_lost_database_connection_answers_503_with_what_was_typed(
    raadslid_a, client_for, monkeypatch
):
    """The "probeer het opnieuw" page: 503, Retry-After, and the form to send again."""
    from incidents.views import filing

    client = client_for(raadslid_a)
    client.raise_request_exception = False

    def dropped(*args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(filing, "_save", dropped)
    data = form_data(submission_key=the_form_key(client), description="Hij stond bij mijn huis")
    response = client.post(reverse("incidents:new"), data)
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert response["Cache-Control"] == "no-store, private"
    page = response.content.decode()
    assert "Probeer het opnieuw" in page
    assert 'value="Hij stond bij mijn huis"' in page
    assert f'value="{data["submission_key"]}"' in page
    assert Melding.objects.filter(reporter=raadslid_a).count() == 0


def test_other_errors_still_answer_500(raadslid_a, client_for, monkeypatch):
    from incidents.views import filing

    client = client_for(raadslid_a)
    client.raise_request_exception = False
    monkeypatch.setattr(filing, "_save", lambda *a, **k: 1 / 0)
    response = client.post(reverse("incidents:new"), form_data())
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()


def test_passwords_are_never_written_into_the_503_page(rf, monkeypatch):
    from weerbaar import errors

    request = rf.post("/accounts/login/", {"login": "a@b.nl", "password": "Geheim-12345"})
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = errors.server_error(request)
    assert response.status_code == 503
    assert "Geheim-12345" not in response.content.decode()
    assert 'value="a@b.nl"' in response.content.decode()


def test_a_connection_lost_while_saving_the_session_is_the_503_page_not_a_bare_400(
    client_for, raadslid_a, griffier_a, monkeypatch
):
    """The draft was saved, then the database went away while the session (which holds the
    "concept opgeslagen" message) was saved: Django turns that into a 400 "session
    interrupted". The reporter gets the Dutch 503 page instead, and sending the same form
    again files nothing twice."""
    from django.contrib.sessions.models import Session

    client = client_for(raadslid_a)
    data = form_data(submission_key=the_form_key(client))

    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    with monkeypatch.context() as patched:
        patched.setattr(Session, "save", lost)
        response = client.post(reverse("incidents:new"), {**data, "action": "draft"})
    assert response.status_code == 503 and response["Retry-After"].isdigit()
    assert "Probeer het opnieuw" in response.content.decode()
    assert data["description"] in response.content.decode()
    again = client.post(reverse("incidents:new"), data)
    melding = Melding.objects.get(reporter=raadslid_a)
    assert again["Location"] == reverse("incidents:sent", args=[melding.pk])
    assert melding.status == "submitted"
