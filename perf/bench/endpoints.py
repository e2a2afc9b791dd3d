"""The REST API's endpoints in the benchmark, timed like the pages (``pages.measure_one``:
warm-up, timed requests through the Django test client, one counted request, everything
rolled back). To measure another endpoint, add a line to ``ENDPOINTS``.

The caller is an API client of the triager's organisation, made as an organisation makes
one: asked for by its secretaris, approved by the triager (four eyes), its token fetched
from the token endpoint with its secret. It reads in the triager's role, with the scopes for
the list and the contents, so the detail serializes every field."""

import base64

from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

__all__ = ["ENDPOINTS", "SETTINGS", "api_client"]

SCOPES = ("meldingen:lezen", "meldingen:inhoud")

# The per-client rate limit (120 a minute) would stop a run with --repeat above it.
SETTINGS = {
    "REST_FRAMEWORK": {
        **django_settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"client": "1000000/min"},
    }
}


def _detail(cast):
    """The benchmark's case (the longest timeline of the triager's)."""
    return reverse("api:melding", args=[cast.melding_id]) if cast.melding_id else None


def _list(query=""):
    return lambda cast: reverse("api:meldingen") + query


def _timeline(cast):
    """The benchmark case's timeline, every line with its parameters (the contents scope)."""
    return reverse("api:tijdlijn", args=[cast.melding_id]) if cast.melding_id else None


def _organisations(cast):
    """The public list of organisations, first page (any client may read it)."""
    return reverse("api:organisaties")


# (name, (cast) -> path or None): every endpoint the benchmark measures.
ENDPOINTS = [
    ("API meldingen list", _list()),
    ("API meldingen list, filtered, 100 a page", _list("?category=threat&pageSize=100")),
    ("API melding detail", _detail),
    ("API melding tijdlijn", _timeline),
    ("API organisaties list", _organisations),
]


def api_client(cast):
    """A test client that sends a fresh bearer token of a new, approved API client of the
    triager's organisation, acting in the triager's role (the griffier's; at tiny scales the
    Commissaris van de Koning's, as voorzitter); None when that organisation has no
    secretaris to ask for one."""
    from api import services
    from weerbaar.constants import Role
    from weerbaar.models import Membership

    role = Role.GRIFFIER if cast.triager == cast.griffier else Role.VOORZITTER
    organisation_id = cast.triager.organisations_with_role(role)[0]
    asker = (
        Membership.objects.active()
        .filter(role=Role.SECRETARIS, organisation_id=organisation_id)
        .select_related("user", "organisation")
        .order_by("pk")
        .first()
    )
    if asker is None:
        return None
    client = services.request(
        requested_by=asker.user,
        organisation=asker.organisation,
        name="Benchmark",
        role=role,
        scopes=list(SCOPES),
    )
    client, secret = services.approve(approver=cast.triager, client=client)
    basic = base64.b64encode(f"{client.application.client_id}:{secret}".encode()).decode()
    response = Client().post(
        reverse("api:token"),
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    if response.status_code != 200:
        raise RuntimeError(f"API token: {response.status_code} {response.content[:200]!r}")
    return Client(HTTP_AUTHORIZATION=f"Bearer {response.json()['access_token']}")
