import base64

import pytest
from django.test import Client

from api import services
from weerbaar.constants import OrganisationKind, Role

from ..factories import make_user
from ..incidents.conftest import (
    SUBSET,  # noqa: F401  (same organisations as the incidents tests)
    organisations,  # noqa: F401
)
from ..incidents.factories import make_melding

ALL = ("meldingen:lezen", "meldingen:inhoud", "aangifte:schrijven")


@pytest.fixture(autouse=True)
def _generous_rate(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"client": "10000/min"},
    }


def basic(client_id, secret):
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


class ApiCaller:
    """A registered, approved client with a token, calling the API in-process."""

    def __init__(self, client, client_id, secret):
        self.client = client
        self.client_id = client_id
        self.secret = secret
        self.http = Client()
        self.token = self.fetch_token()

    def fetch_token(self, scope=None):
        data = {"grant_type": "client_credentials"}
        if scope:
            data["scope"] = scope
        response = self.http.post(
            "/api/v1/oauth/token",
            data,
            HTTP_AUTHORIZATION=basic(self.client_id, self.secret),
        )
        assert response.status_code == 200, response.content
        return response.json()["access_token"]

    def get(self, path, **headers):
        return self.http.get(path, HTTP_AUTHORIZATION=f"Bearer {self.token}", **headers)

    def patch(self, path, body, **headers):
        return self.http.patch(
            path,
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.token}",
            **headers,
        )


@pytest.fixture
def register(gemeente_a):
    """``register(organisation, scopes, role=...)`` → an ``ApiCaller``: asked for by the
    organisation's secretaris, approved by its griffier (four eyes), token fetched."""
    people = {}

    def make(organisation=None, scopes=("meldingen:lezen",), role=Role.GRIFFIER):
        organisation = organisation or gemeente_a
        if organisation.pk not in people:
            # A national body's client is asked for and approved by two functioneel
            # beheerders; an organisation's by its secretaris and its griffier.
            national = organisation.kind == OrganisationKind.NATIONAL
            people[organisation.pk] = (
                make_user(Role.FUNCTIONEEL_BEHEERDER, organisation)
                if national
                else make_user(Role.SECRETARIS, organisation),
                make_user(Role.FUNCTIONEEL_BEHEERDER, organisation)
                if national
                else make_user(Role.GRIFFIER, organisation),
            )
        secretaris, griffier = people[organisation.pk]
        client = services.request(
            requested_by=secretaris,
            organisation=organisation,
            name="Registratiesysteem",
            role=role,
            scopes=list(scopes),
        )
        client, secret = services.approve(approver=griffier, client=client)
        return ApiCaller(client, client.application.client_id, secret)

    return make


@pytest.fixture
def melding_a(raadslid_a):
    return make_melding(
        raadslid_a, description="Hij stond bij mijn huis aan de Kerkstraat.", witnesses="Buurman"
    )


@pytest.fixture
def melding_b(raadslid_b):
    return make_melding(raadslid_b, description="Bedreiging in Groningen.")


@pytest.fixture
def raadslid_a(gemeente_a):
    from weerbaar.constants import Position

    return make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)


@pytest.fixture
def raadslid_b(gemeente_b):
    from weerbaar.constants import Position

    return make_user(Role.OFFICE_HOLDER, gemeente_b, Position.RAADSLID)


@pytest.fixture
def catalogue(db):
    """The measure catalogue, as its data migration loads it (a transactional test elsewhere
    in the run empties every table, this among them)."""
    from veiligwonen.catalogue import load_catalogue
    from veiligwonen.models import MeasureType

    if not MeasureType.objects.exists():
        load_catalogue(MeasureType)
    return MeasureType.objects
