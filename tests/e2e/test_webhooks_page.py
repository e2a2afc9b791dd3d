"""The issue's chain in a real browser: the secretaris subscribes a loopback receiver on the
client's webhooks page (its secret shown once), a wethouder files a melding through the form,
the voorzitter acknowledges it on the dashboard, and the receiver gets both events, in order,
signed so that an independent Standard Webhooks check accepts them, with ids only."""

import json

import pytest

from api import services as api_services
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
        scopes=["meldingen:lezen"],
    )
    api_services.approve(approver=griffier, client=client)

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
        acknowledge_on_dashboard(new_page(), live_server.url, voorzitter, melding)
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
