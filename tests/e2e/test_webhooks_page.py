"""The issue's chain in a real browser: a client is registered (asked for by the secretaris,
approved by the griffier), the secretaris subscribes a loopback receiver on the client's
webhooks page (its secret shown once), a wethouder files a melding through the form, the
voorzitter acknowledges it on the dashboard, and the receiver gets both events, in order,
signed so that an independent Standard Webhooks check accepts them, with ids only. Then the
client's own system, over HTTP: a token with its secret, its organisation's meldingen, the
aangifte's status written back, and the voorzitter sees it on the case page."""

import base64
import json

import pytest

from api import services as api_services
from incidents.constants import AangifteStatus
from incidents.services import followup
from tests.factories import PASSWORD, make_user
from webhooks.delivery import deliver_due
from weerbaar.constants import Position, Role

from ..webhooks.conftest import verify
from ..webhooks.receiver import Receiver
from .helpers import assert_accessible, login, watch_console
from .test_incidents_paths import (  # noqa: F401  (the fixture comes with them)
    acknowledge_on_dashboard,
    file_melding,
    new_page,
    with_totp,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_melding_filed_in_the_browser_reaches_a_signed_webhook(
    live_server,
    new_page,  # noqa: F811
    gemeente_a,
):
    secretaris = make_user(Role.SECRETARIS, gemeente_a)
    griffier = make_user(Role.GRIFFIER, gemeente_a)
    voorzitter = make_user(Role.VOORZITTER, gemeente_a)
    wethouder = make_user(Role.OFFICE_HOLDER, gemeente_a, Position.WETHOUDER)
    client = api_services.request(
        requested_by=secretaris,
        organisation=gemeente_a,
        name="Zaaksysteem",
        role=Role.SECRETARIS,
        scopes=["meldingen:lezen", "aangifte:schrijven"],
    )
    client, client_secret = api_services.approve(approver=griffier, client=client)

    with Receiver() as receiver:
        owner = new_page()
        console = watch_console(owner)
        login(owner, live_server.url, secretaris.email, PASSWORD, totp_secret=with_totp(secretaris))
        owner.goto(f"{live_server.url}/koppelingen/{client.pk}/")
        with owner.expect_navigation():
            owner.get_by_role("link", name="Webhooks van deze koppeling").click()
        assert_accessible(owner)
        owner.get_by_label("Adres (https)").fill(receiver.url)
        owner.get_by_label("Melding ingediend").check()
        owner.get_by_label("Ontvangst van een melding bevestigd").check()
        with owner.expect_navigation():
            owner.get_by_role("button", name="Toevoegen").click()
        secret = owner.get_by_test_id("webhook-secret").inner_text()
        assert secret.startswith("whsec_")
        assert_accessible(owner)
        console.assert_clean()

        melding = file_melding(
            new_page(),
            live_server.url,
            wethouder,
            expected=[f"{secretaris.full_name} — Gemeentesecretaris, Gemeente Utrecht"],
        )
        case_page = new_page()
        acknowledge_on_dashboard(case_page, live_server.url, voorzitter, melding)
        assert deliver_due() == 2

    payloads = []
    for _path, headers, body in receiver.requests:
        assert verify(secret, headers, body)
        payloads.append(json.loads(body))
    assert [(p["type"], p["data"]) for p in payloads] == [
        ("melding.submitted", {"object": "melding", "id": melding.pk}),
        ("melding.acknowledged", {"object": "melding", "id": melding.pk}),
    ]
    assert "dreigende" not in str(payloads)

    # The receiver's system fetches what its scopes allow: a token, the list, the aangifte.
    api = new_page().request
    credentials = f"{client.application.client_id}:{client_secret}".encode()
    token = api.post(
        f"{live_server.url}/api/v1/oauth/token",
        form={"grant_type": "client_credentials"},
        headers={"Authorization": "Basic " + base64.b64encode(credentials).decode()},
    )
    assert token.status == 200, token.text()
    bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
    listing = api.get(f"{live_server.url}/api/v1/meldingen", headers=bearer)
    assert listing.status == 200 and listing.headers["api-version"]
    assert [m["id"] for m in listing.json()["results"]] == [melding.pk]

    followup.save_aangifte(melding, actor=voorzitter, data={"status": AangifteStatus.PREPARED})
    written = api.patch(
        f"{live_server.url}/api/v1/meldingen/{melding.pk}/aangifte",
        data=json.dumps(
            {
                "status": "filed",
                "filedOn": "2026-12-01",
                "registrationNumber": "PL0900-2026-4711",
                "policeConfirmedOn": "2026-12-02",
            }
        ),
        headers={**bearer, "Content-Type": "application/json"},
    )
    assert written.status == 200, written.text()

    # The aangifte is a follow-up section of the case page, opened as a user does; the address
    # then says it is open, so the reload shows it open with what the API wrote.
    case_page.get_by_role("link", name="Aangifte bekijken of bijwerken").click()
    case_page.get_by_label("Registratienummer").wait_for()
    case_page.reload()
    assert case_page.get_by_label("Registratienummer").input_value() == "PL0900-2026-4711"
    assert "Bevestigd op 2 december 2026" in case_page.locator("#aangifte-politie").inner_text()
    assert_accessible(case_page)
