"""Nobody waits for ever on the database: every connection carries a lock timeout, a limit
for a transaction left open and idle, and a connect timeout (weerbaar/settings.py), and a
request that runs into one gets the 503 "probeer het opnieuw" page with what was typed, not
a page that never comes."""

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from incidents.models import Melding
from tests.incidents.helpers import form_data
from weerbaar.constants import Position, Role

from .test_load import database_url


@pytest.mark.django_db
def test_every_connection_carries_the_guards():
    assert settings.DATABASES["default"]["OPTIONS"]["connect_timeout"] == 5
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone() == ("10s",)
        cursor.execute("SHOW idle_in_transaction_session_timeout")
        assert cursor.fetchone() == ("1min",)


@pytest.mark.django_db(transaction=True)
def test_a_row_held_by_a_stuck_transaction_answers_503_instead_of_waiting(
    gemeente_a, griffier_a, user_factory, client_for
):
    raadslid_a = user_factory(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    client = client_for(raadslid_a)
    client.raise_request_exception = False
    data = form_data(description="Hij stond weer bij mijn huis")
    client.post(reverse("incidents:new"), {**data, "action": "draft"})
    draft = Melding.objects.get(reporter=raadslid_a)
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '300ms'")  # the same guard, shorter for the test
    # Another session holds the melding's row and does nothing (a stuck worker).
    with psycopg.connect(database_url(), autocommit=False) as stuck:
        stuck.execute("SELECT id FROM incidents_melding WHERE id = %s FOR UPDATE", [draft.pk])
        response = client.post(reverse("incidents:edit", args=[draft.pk]), data)
        stuck.rollback()
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    page = response.content.decode()
    assert "Probeer het opnieuw" in page
    assert 'value="Hij stond weer bij mijn huis"' in page
    draft.refresh_from_db()
    assert draft.status == "draft"  # nothing half done; sending again works
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '10s'")
    again = client.post(reverse("incidents:edit", args=[draft.pk]), data)
    assert again.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted"
