"""The whole chain over real HTTP on loopback: the secretaris asks for a client on the
screen, the griffier approves it and copies the secret, the client fetches a token from
the token endpoint, lists its organisation's meldingen, updates the aangifte status, and
the triager sees that status on the case page; the reporter sees that the client looked."""

import base64
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from incidents.constants import AangifteStatus
from incidents.services import followup
from weerbaar.constants import Role

from ..factories import make_user
from ..incidents.factories import make_melding


def _call(method, url, *, headers=None, data=None):
    request = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


@pytest.mark.django_db(transaction=True)
def test_client_registered_on_screen_updates_aangifte_seen_on_case_page(
    live_server, client_for, gemeente_a, gemeente_b, raadslid_a, raadslid_b
):
    secretaris = make_user(Role.SECRETARIS, gemeente_a)
    griffier = make_user(Role.GRIFFIER, gemeente_a)
    melding = make_melding(raadslid_a)
    foreign = make_melding(raadslid_b)
    followup.save_aangifte(melding, actor=griffier, data={"status": AangifteStatus.PREPARED})

    # Registered on the screen, with four eyes.
    client_for(secretaris).post(
        "/koppelingen/",
        {
            "name": "Politiecontact",
            "organisation": gemeente_a.pk,
            "role": Role.GRIFFIER,
            "scopes": ["meldingen:lezen", "aangifte:schrijven"],
        },
    )
    case_reader = client_for(griffier)
    listing = case_reader.get("/koppelingen/").content.decode()
    pk = re.search(r'href="/koppelingen/(\d+)/"', listing).group(1)
    page = case_reader.post(f"/koppelingen/{pk}/", {"action": "approve"}).content.decode()
    client_id = re.search(r'data-testid="client-id">([^<]+)<', page).group(1)
    secret = re.search(r'data-testid="client-secret">([^<]+)<', page).group(1)

    # A token from the token endpoint over HTTP.
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    status, headers, token = _call(
        "POST",
        f"{live_server.url}/api/v1/oauth/token",
        headers={
            "Authorization": f"Basic {basic}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        data=urllib.parse.urlencode({"grant_type": "client_credentials"}).encode(),
    )
    assert status == 200, token
    assert token["token_type"] == "Bearer"
    assert token["expires_in"] <= 600
    bearer = {"Authorization": f"Bearer {token['access_token']}"}

    # Its organisation's meldingen, nobody else's.
    status, headers, page = _call("GET", f"{live_server.url}/api/v1/meldingen", headers=bearer)
    assert status == 200
    assert headers["API-Version"] == "1.0.0"
    assert [m["id"] for m in page["results"]] == [melding.pk]
    status, headers, _problem = _call(
        "GET", f"{live_server.url}/api/v1/meldingen/{foreign.pk}", headers=bearer
    )
    assert status == 404
    assert headers["Content-Type"] == "application/problem+json"

    # The police-contact system updates the aangifte.
    status, headers, aangifte = _call(
        "PATCH",
        f"{live_server.url}/api/v1/meldingen/{melding.pk}/aangifte",
        headers={**bearer, "Content-Type": "application/json"},
        data=json.dumps({"status": "investigation"}).encode(),
    )
    assert status == 200, aangifte
    assert aangifte["status"] == "investigation"

    # The triager sees it on the case page's timeline, as when a person changes it.
    case_page = case_reader.get(f"/meldingen/{melding.pk}/").content.decode()
    assert "Aangifte: In onderzoek" in case_page
    # And the reporter sees that the client looked at their melding.
    own_page = client_for(raadslid_a).get(f"/meldingen/{melding.pk}/").content.decode()
    assert "API-koppeling Politiecontact" in own_page
