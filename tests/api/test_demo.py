"""The demo API clients of ``make run``: made with four eyes through the services, with the
printed demo secret, only in DEBUG or DEMO_MODE, and the curl examples' calls answer."""

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client

from api import demo
from api.constants import ClientStatus
from api.models import ApiClient
from weerbaar.demo import seed_accounts

from .conftest import basic

pytestmark = pytest.mark.django_db

CALLS = {
    "demo-utrecht": ["/api/v1/meldingen", "/api/v1/organisaties/GM0344/paraatheid"],
    "demo-bzk": ["/api/v1/veilig-wonen/aanvragen", "/api/v1/veilig-wonen/maatregelen"],
    "demo-otwb": ["/api/v1/otwb/sessies", "/api/v1/otwb/aanmeldingen"],
}


def _token(http, client_id):
    response = http.post(
        "/api/v1/oauth/token",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=basic(client_id, demo.DEMO_API_SECRET),
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def test_demo_clients_answer_with_the_printed_secret(organisations, settings):
    settings.DEMO_MODE = True
    seed_accounts()
    demo.seed_demo()
    demo.seed_demo()  # every make run: no second client, the same secret
    assert ApiClient.objects.filter(status=ClientStatus.ACTIVE).count() == len(demo.DEMO_CLIENTS)
    for client in ApiClient.objects.select_related("requested_by", "decided_by"):
        assert client.requested_by != client.decided_by
    http = Client()
    for client_id, paths in CALLS.items():
        token = _token(http, client_id)
        for path in paths:
            assert http.get(path, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200, path


def test_seed_demo_prints_the_clients(organisations, settings):
    settings.DEMO_MODE = True
    out = io.StringIO()
    call_command("seed_demo", "--without-history", stdout=out)
    printed = out.getvalue()
    assert demo.DEMO_API_SECRET in printed
    assert all(client_id in printed for client_id in CALLS)


def test_no_demo_clients_outside_debug_and_demo_mode(organisations, settings):
    settings.DEBUG = False
    settings.DEMO_MODE = False
    with pytest.raises(ImproperlyConfigured):
        demo.seed_demo()
    with pytest.raises(ImproperlyConfigured):
        demo.demo_notes()
    assert not ApiClient.objects.exists()
