"""The REST API's endpoints in the benchmark, timed like the pages (``pages.measure_one``:
warm-up, timed requests through the Django test client, one counted request, everything
rolled back). To measure another endpoint, add a line to ``ENDPOINTS``.

Every list endpoint of ``api/urls.py`` is here, each read by the kind of client that reads
it in practice, made as an organisation makes one (asked for, approved by a second person,
its token fetched from the token endpoint with its secret):

- the triager's organisation's client (``triager_client``), in the triager's role, with the
  scopes for the list and the contents: meldingen, the detail, the timeline, an aangifte,
  the organisations, and its own webhooks;
- BZK's intake system (``intake_client``, role VW-intake, with the names): the Veilig Wonen
  applications and measures;
- the OTWB's planning system (``coordinator_client``, role OTWB coordinator, with the names
  and readiness): the sessions, the registrations and every organisation's readiness.

A national body's client is asked for by a functioneel beheerder and approved by a second
one; the load data has one at small scales, so the second is then made for the run (and
rolled back with everything else)."""

import base64

from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

__all__ = [
    "CLIENTS",
    "ENDPOINTS",
    "SETTINGS",
    "WEBHOOKS",
    "coordinator_client",
    "intake_client",
    "triager_client",
]

SCOPES = ("meldingen:lezen", "meldingen:inhoud", "webhooks:beheren")
INTAKE_SCOPES = ("veiligwonen:lezen", "veiligwonen:persoonsgegevens")
COORDINATOR_SCOPES = ("otwb:lezen", "otwb:persoonsgegevens", "paraatheid:lezen")
# Webhooks of the triager's client, so its list has rows (the list is not paginated).
WEBHOOKS = 3

# The per-client rate limit (120 a minute) would stop a run with --repeat above it.
SETTINGS = {
    "REST_FRAMEWORK": {
        **django_settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"client": "1000000/min"},
    }
}


def _path(name, query=""):
    return lambda cast: reverse(name) + query


def _of_case(name):
    """The benchmark's case (the longest timeline of the triager's)."""
    return lambda cast: reverse(name, args=[cast.melding_id]) if cast.melding_id else None


def _aangifte(cast):
    """The aangifte of the triager's latest melding that has one."""
    pk = cast.aangifte_melding_id
    return reverse("api:aangifte", args=[pk]) if pk else None


# (name, actor in Cast, (cast) -> client or None, (cast) -> path or None)
ENDPOINTS = [
    ("API meldingen list", "triager", "triager", _path("api:meldingen")),
    (
        "API meldingen list, filtered, 100 a page",
        "triager",
        "triager",
        _path("api:meldingen", "?category=threat&pageSize=100"),
    ),
    ("API melding detail", "triager", "triager", _of_case("api:melding")),
    # Every line with its parameters (the contents scope).
    ("API melding tijdlijn", "triager", "triager", _of_case("api:tijdlijn")),
    # Not a list: the one aangifte of a melding (what a police-contact system reads).
    ("API aangifte", "triager", "triager", _aangifte),
    # The public list of organisations, first page (any client may read it).
    ("API organisaties list", "triager", "triager", _path("api:organisaties")),
    ("API webhooks list", "triager", "triager", _path("api:webhooks")),
    # BZK's intake system: the whole list, and the queue (with each one's position).
    ("API Veilig Wonen aanvragen list", "intake", "intake", _path("api:vw_aanvragen")),
    (
        "API Veilig Wonen aanvragen, waiting",
        "intake",
        "intake",
        _path("api:vw_aanvragen", "?waiting=true"),
    ),
    ("API Veilig Wonen maatregelen list", "intake", "intake", _path("api:vw_maatregelen")),
    # The OTWB's planning system.
    ("API OTWB sessies list", "coordinator", "coordinator", _path("api:otwb_sessies")),
    (
        "API OTWB aanmeldingen list",
        "coordinator",
        "coordinator",
        _path("api:otwb_aanmeldingen"),
    ),
    (
        "API paraatheid list",
        "coordinator",
        "coordinator",
        _path("api:paraatheid_lijst"),
    ),
]


def _token_client(client, secret):
    basic = base64.b64encode(f"{client.application.client_id}:{secret}".encode()).decode()
    response = Client().post(
        reverse("api:token"),
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    if response.status_code != 200:
        raise RuntimeError(f"API token: {response.status_code} {response.content[:200]!r}")
    return Client(HTTP_AUTHORIZATION=f"Bearer {response.json()['access_token']}")


def _webhooks(client, owner):
    """``WEBHOOKS`` subscriptions of the client, written directly: the service would look
    the receiver's name up in DNS, which a benchmark has no business doing."""
    from webhooks.models import Subscription
    from webhooks.signing import new_secret

    for i in range(WEBHOOKS):
        Subscription.objects.create(
            client=client,
            url=f"https://ontvanger.example/hook/{i}",
            events=["melding.submitted", "melding.closed"],
            secret=new_secret(),
            created_by=owner,
        )


def triager_client(cast):
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
    _webhooks(client, asker.user)
    return _token_client(client, secret)


def _beheerders():
    """Two functioneel beheerders: the load data's first, and its second or one made now."""
    from perf.loadgen import EMAIL_DOMAIN
    from weerbaar import memberships
    from weerbaar.constants import Role
    from weerbaar.models import Membership, User

    found = list(
        Membership.objects.active()
        .filter(role=Role.FUNCTIONEEL_BEHEERDER, user__email__endswith=f"@{EMAIL_DOMAIN}")
        .select_related("user", "organisation")
        .order_by("pk")[:2]
    )
    if not found:
        raise LookupError("no functioneel beheerder in the load data: run seed_load first")
    if len(found) == 2:
        return found[0].user, found[1].user
    second = User.objects.create_user(
        f"bench-beheer-2@{EMAIL_DOMAIN}", password=None, full_name="Tweede beheerder (bench)"
    )
    memberships.seed(
        user=second,
        organisation=found[0].organisation,
        role=Role.FUNCTIONEEL_BEHEERDER,
        source="bench",
    )
    return found[0].user, User.objects.get(pk=second.pk)


def _national_client(code, role, scopes):
    from api import services
    from weerbaar.models import Organisation

    asker, approver = _beheerders()
    client = services.request(
        requested_by=asker,
        organisation=Organisation.objects.get(code=code),
        name="Benchmark",
        role=role,
        scopes=list(scopes),
    )
    client, secret = services.approve(approver=approver, client=client)
    return _token_client(client, secret)


def intake_client(cast):
    """BZK's intake system: a client of BZK in the VW-intake role, with the names."""
    from weerbaar.constants import Role

    return _national_client("BZK", Role.VW_INTAKE, INTAKE_SCOPES)


def coordinator_client(cast):
    """The OTWB's planning system: a client of the OTWB in the coordinator's role."""
    from weerbaar.constants import Role

    return _national_client("OTWB", Role.OTWB_COORDINATOR, COORDINATOR_SCOPES)


CLIENTS = {
    "triager": triager_client,
    "intake": intake_client,
    "coordinator": coordinator_client,
}
