"""The API Design Rules the OpenAPI document claims, checked against the document and
against real responses: major version in the path, ``API-Version`` on every response,
errors as problem details in Dutch (English on request)."""

import json

import pytest
from openapi_spec_validator import validate

from api.constants import API_VERSION

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_schema_is_valid_openapi_3(schema):
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["version"] == API_VERSION
    assert schema["info"]["contact"]


def test_schema_puts_the_major_version_in_the_path(schema):
    assert [server["url"] for server in schema["servers"]] == ["/api/v1"]
    assert API_VERSION.split(".")[0] == "1"


def test_schema_declares_the_version_header_and_problem_details_everywhere(schema):
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) == 20  # 16 reads and the aangifte's PATCH; webhooks (4)
    for operation in operations:
        assert operation["security"], operation["operationId"]
        for code, response in operation["responses"].items():
            assert "API-Version" in response["headers"], (operation["operationId"], code)
            if code.startswith(("4", "5")):
                assert list(response["content"]) == ["application/problem+json"]
        assert {"401", "403", "404", "429"} <= set(operation["responses"])


def test_schema_declares_client_credentials_with_the_scopes(schema):
    flow = schema["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]
    assert flow["tokenUrl"] == "/api/v1/oauth/token"
    assert set(flow["scopes"]) == {
        "meldingen:lezen",
        "meldingen:inhoud",
        "aangifte:schrijven",
        "veiligwonen:lezen",
        "veiligwonen:persoonsgegevens",
        "otwb:lezen",
        "otwb:persoonsgegevens",
        "paraatheid:lezen",
        "webhooks:beheren",
    }


# Every resource of v1 with the scope its read needs (none: any client's token).
RESOURCES = {
    "/meldingen": "meldingen:lezen",
    "/meldingen/{id}": "meldingen:lezen",
    "/meldingen/{id}/aangifte": "meldingen:lezen",
    "/meldingen/{id}/tijdlijn": "meldingen:lezen",
    "/veilig-wonen/aanvragen": "veiligwonen:lezen",
    "/veilig-wonen/aanvragen/{id}": "veiligwonen:lezen",
    "/veilig-wonen/maatregelen": "veiligwonen:lezen",
    "/otwb/sessies": "otwb:lezen",
    "/otwb/sessies/{id}": "otwb:lezen",
    "/otwb/aanmeldingen": "otwb:lezen",
    "/otwb/aanmeldingen/{id}": "otwb:lezen",
    "/organisaties": None,
    "/organisaties/{code}": None,
    "/organisaties/{code}/paraatheid": "paraatheid:lezen",
    "/paraatheid": "paraatheid:lezen",
    "/webhooks": "webhooks:beheren",
    "/webhooks/{id}": "webhooks:beheren",
}


def test_schema_covers_every_resource_with_its_scope(schema):
    assert set(schema["paths"]) == set(RESOURCES)
    for path, scope in RESOURCES.items():
        security = schema["paths"][path]["get"]["security"]
        assert security == [{"oauth2": [scope] if scope else []}], path


def test_list_resources_document_cursor_and_filters(schema):
    """Lists page by cursor and take the dashboards' filters, with their values."""
    lists = {
        "/meldingen": {"status", "severity", "category"},
        "/veilig-wonen/aanvragen": {"status", "urgency", "overdue", "submitted_from"},
        "/veilig-wonen/maatregelen": {"status", "domain", "year"},
        "/otwb/sessies": {"kind", "status", "starts_from", "starts_until"},
        "/otwb/aanmeldingen": {"session", "status"},
        "/organisaties": {"kind", "province"},
        "/paraatheid": {"kind", "province"},
    }
    for path, filters in lists.items():
        names = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
        assert {"cursor", "pageSize"} | filters <= names, path


@pytest.mark.parametrize(
    "path",
    ["/api/v1/openapi.json", "/api/v1/meldingen", "/api/v1/bestaat-niet", "/api/v1/docs/"],
)
def test_every_response_carries_the_version_header(client, path):
    assert client.get(path)["API-Version"] == API_VERSION


def test_error_without_token_is_dutch_problem_details(client):
    response = client.get("/api/v1/meldingen")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["status"] == 401
    assert body["title"] == "Niet aangemeld"
    assert body["instance"] == "/api/v1/meldingen"
    assert body["type"].startswith("https://")


def test_error_in_english_on_request(client):
    response = client.get("/api/v1/meldingen", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    body = response.json()
    assert body["title"] == "Not authenticated"
    assert response["Content-Language"] == "en"


def test_unknown_path_is_problem_details_not_a_page(client):
    response = client.get("/api/v1/bestaat-niet")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Niet gevonden"


def test_bad_token_is_refused(client):
    response = client.get("/api/v1/meldingen", HTTP_AUTHORIZATION="Bearer verzonnen")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_rate_limit_per_client_answers_429_with_retry_after(register, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"client": "3/min"},
    }
    first, second = register(), register()
    codes = [first.get("/api/v1/meldingen").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = first.get("/api/v1/meldingen")
    assert limited["Content-Type"] == "application/problem+json"
    assert int(limited["Retry-After"]) > 0
    assert limited.json()["title"] == "Te veel verzoeken"
    # Counted per client: the other client of the same organisation is not held up.
    assert second.get("/api/v1/meldingen").status_code == 200


def test_documentation_page_uses_own_static_files_under_the_csp(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page
    assert "/static/vendor/js/documentation.js" in page
    assert "https://" not in page.split("<body>")[1]
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp


def test_token_in_the_query_string_is_refused(register):
    """It would end up in access logs and browser history (RFC 9700 §4.3.2)."""
    caller = register()
    response = caller.http.get(f"/api/v1/meldingen?access_token={caller.token}")
    assert response.status_code == 401


def test_oauth_toolkit_admin_is_not_offered():
    """An application made in the admin would skip the four eyes of api.services."""
    from django.contrib import admin
    from oauth2_provider.models import get_application_model

    assert not admin.site.is_registered(get_application_model())
