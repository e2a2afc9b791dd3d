"""The resources beyond meldingen — a melding's timeline, Veilig Wonen, the OTWB tour,
organisations and readiness — for every endpoint × scope × own/foreign organisation. The
expected answer follows one rule: without the endpoint's scope 403; with it, what a person
of the client's role sees is 200 and anything else 404 (never 403: a guessed id reveals
nothing)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from incidents.services import triage
from otwb.constants import SessionKind
from otwb.services.registrations import register_driehoek
from weerbaar.constants import AuditAction, Role
from weerbaar.models import AuditEvent

from ..factories import make_user
from ..incidents.factories import make_melding
from ..otwb.factories import SessionFactory, driehoek_people
from ..veiligwonen.factories import HOME, HOUSEHOLD, Cast, submit, to_issued

pytestmark = pytest.mark.django_db

LEZEN, INHOUD, SCHRIJVEN = "meldingen:lezen", "meldingen:inhoud", "aangifte:schrijven"
VW, VW_PERSONAL = "veiligwonen:lezen", "veiligwonen:persoonsgegevens"
OTWB, OTWB_PERSONAL = "otwb:lezen", "otwb:persoonsgegevens"
PARAAT = "paraatheid:lezen"


class World:
    """Two gemeenten, each with a melding, a Veilig Wonen application and an OTWB session
    and registration; the clients that read them."""

    def __init__(self, gemeente_a, gemeente_b, bzk, ccv, otwb_org):
        self.orgs = {"a": gemeente_a, "b": gemeente_b, "bzk": bzk, "otwb": otwb_org}
        cast_a = Cast(gemeente_a, gemeente_b, bzk, ccv)
        cast_b = Cast(gemeente_b, gemeente_a, bzk, ccv)
        self.griffier = {"a": cast_a.griffier, "b": cast_b.griffier}
        self.melding = {}
        for key, cast in (("a", cast_a), ("b", cast_b)):
            melding = make_melding(cast.raadslid, description=f"Verhaal {key} bij mijn huis.")
            triage.assign(melding, cast.griffier, actor=cast.griffier)
            self.melding[key] = melding
        self.application = {
            "a": to_issued(cast_a, submit(cast_a, recent_threats=True)),
            "b": submit(cast_b),
        }
        starts = timezone.now() + timedelta(days=70)
        self.session = {}
        for key in ("a", "b"):
            session = SessionFactory(kind=SessionKind.COUNCIL, starts_at=starts)
            session.organisations.add(self.orgs[key])
            self.session[key] = session
        self.driehoek = SessionFactory(kind=SessionKind.DRIEHOEK, starts_at=starts)
        self.registration = {
            key: register_driehoek(
                self.driehoek,
                self.orgs[key],
                people=driehoek_people(key),
                actor=self.griffier[key],
            )
            for key in ("a", "b")
        }


@pytest.fixture
def world(gemeente_a, gemeente_b, bzk, ccv, otwb_org, catalogue):
    return World(gemeente_a, gemeente_b, bzk, ccv, otwb_org)


# client name → (organisation key, role)
CLIENTS = {
    "griffier_a": ("a", Role.GRIFFIER),
    "secretaris_a": ("a", Role.SECRETARIS),
    "bzk": ("bzk", Role.VW_INTAKE),
    "otwb": ("otwb", Role.OTWB_COORDINATOR),
}

# endpoint → (path for an object key, the scope it needs, {client: keys it sees})
ENDPOINTS = {
    "tijdlijn": (
        lambda w, k: f"/api/v1/meldingen/{w.melding[k].pk}/tijdlijn",
        LEZEN,
        {"griffier_a": {"a"}, "secretaris_a": set()},  # raadsleden go to the griffier
    ),
    "vw_aanvragen": (lambda w, k: "/api/v1/veilig-wonen/aanvragen", VW, {"bzk": {"a", "b"}}),
    "vw_aanvraag": (
        lambda w, k: f"/api/v1/veilig-wonen/aanvragen/{w.application[k].pk}",
        VW,
        {"bzk": {"a", "b"}},
    ),
    "vw_maatregelen": (lambda w, k: "/api/v1/veilig-wonen/maatregelen", VW, {"bzk": {"a", "b"}}),
    "otwb_sessies": (
        lambda w, k: "/api/v1/otwb/sessies",
        OTWB,
        {"otwb": {"a", "b"}, "griffier_a": {"a"}},
    ),
    "otwb_sessie": (
        lambda w, k: f"/api/v1/otwb/sessies/{w.session[k].pk}",
        OTWB,
        {"otwb": {"a", "b"}, "griffier_a": {"a"}},
    ),
    "otwb_aanmeldingen": (
        lambda w, k: "/api/v1/otwb/aanmeldingen",
        OTWB,
        {"otwb": {"a", "b"}, "griffier_a": {"a"}},
    ),
    "otwb_aanmelding": (
        lambda w, k: f"/api/v1/otwb/aanmeldingen/{w.registration[k].pk}",
        OTWB,
        {"otwb": {"a", "b"}, "griffier_a": {"a"}},
    ),
    "organisaties": (lambda w, k: "/api/v1/organisaties", None, None),
    "organisatie": (lambda w, k: f"/api/v1/organisaties/{w.orgs[k].code}", None, None),
    "paraatheid_lijst": (
        lambda w, k: "/api/v1/paraatheid",
        PARAAT,
        {"griffier_a": {"a"}, "secretaris_a": {"a"}, "otwb": {"a", "b"}},
    ),
    "paraatheid": (
        lambda w, k: f"/api/v1/organisaties/{w.orgs[k].code}/paraatheid",
        PARAAT,
        {"griffier_a": {"a"}, "secretaris_a": {"a"}, "otwb": {"a", "b"}},
    ),
}
LISTS = {
    "vw_aanvragen",
    "vw_maatregelen",
    "otwb_sessies",
    "otwb_aanmeldingen",
    "organisaties",
    "paraatheid_lijst",
}

# The scopes each client is tried with: every scope its role may hold, alone and together.
SCOPE_SETS = {
    "griffier_a": [
        (LEZEN,),
        (LEZEN, INHOUD),
        (SCHRIJVEN,),
        (OTWB,),
        (OTWB, OTWB_PERSONAL),
        (PARAAT,),
    ],
    "secretaris_a": [(LEZEN,), (PARAAT,)],
    "bzk": [(VW,), (VW, VW_PERSONAL), (VW_PERSONAL,)],
    "otwb": [(OTWB,), (OTWB, OTWB_PERSONAL), (PARAAT,)],
}


def _expected(endpoint, client, scopes, key):
    _path, scope, sees = ENDPOINTS[endpoint]
    if scope is not None and scope not in scopes:
        return 403
    if sees is None or endpoint in LISTS:
        return 200
    return 200 if key in sees.get(client, set()) else 404


CASES = [
    pytest.param(client, scopes, id=f"{client}-{'+'.join(scopes)}")
    for client, scope_sets in SCOPE_SETS.items()
    for scopes in scope_sets
]


@pytest.mark.parametrize(("client", "scopes"), CASES)
def test_every_endpoint_scope_and_organisation(register, world, client, scopes):
    """One client with one set of scopes against every endpoint, for an object of its own
    organisation and one of another (the world is built once per client and scope set;
    every mismatch is listed)."""
    org, role = CLIENTS[client]
    caller = register(world.orgs[org], scopes=scopes, role=role)
    wrong = []
    for endpoint, (path, _scope, sees) in ENDPOINTS.items():
        for key, side in (("a", "own"), ("b", "foreign")):
            expected = _expected(endpoint, client, scopes, key)
            response = caller.get(path(world, key))
            if response.status_code != expected:
                wrong.append((endpoint, side, expected, response.status_code))
                continue
            body = response.content.decode()
            if expected != 200:
                assert response["Content-Type"] == "application/problem+json"
                continue
            # The home address never leaves, whatever the scopes.
            assert "Geheimelaan" not in body, endpoint
            if endpoint == "paraatheid_lijst":
                codes = {r["organisation"] for r in response.json()["results"]}
                for k in ("a", "b"):
                    seen = k in sees.get(client, set())
                    assert (world.orgs[k].code in codes) == seen, (endpoint, k)
            elif endpoint in LISTS and sees is not None:
                ids = {r["id"] for r in response.json()["results"]}
                objects = {
                    "vw_aanvragen": world.application,
                    "otwb_sessies": world.session,
                    "otwb_aanmeldingen": world.registration,
                }.get(endpoint, {})
                for k, obj in objects.items():
                    assert (obj.pk in ids) == (k in sees.get(client, set())), (endpoint, k)
    assert wrong == [], wrong


# --- lists scoped like the portal --------------------------------------------------------


def test_griffier_client_lists_own_registrations_and_sessions_only(register, world):
    caller = register(world.orgs["a"], scopes=(OTWB,))
    registrations = caller.get("/api/v1/otwb/aanmeldingen").json()["results"]
    assert [r["id"] for r in registrations] == [world.registration["a"].pk]
    sessions = {s["id"] for s in caller.get("/api/v1/otwb/sessies").json()["results"]}
    # Its own council session and the regional one it may register for; not Groningen's.
    assert sessions == {world.session["a"].pk, world.driehoek.pk}


def test_otwb_client_lists_every_registration(register, world):
    caller = register(world.orgs["otwb"], scopes=(OTWB,), role=Role.OTWB_COORDINATOR)
    registrations = caller.get("/api/v1/otwb/aanmeldingen").json()["results"]
    assert {r["id"] for r in registrations} == {r.pk for r in world.registration.values()}


def test_driehoek_names_only_with_personal_scope(register, world):
    path = f"/api/v1/otwb/aanmeldingen/{world.registration['a'].pk}"
    plain = register(world.orgs["a"], scopes=(OTWB,)).get(path)
    assert plain.json()["driehoek"] is None
    assert "bm-a@example.org" not in plain.content.decode()
    personal = register(world.orgs["a"], scopes=(OTWB, OTWB_PERSONAL)).get(path).json()
    assert personal["driehoek"]["burgemeesterEmail"] == "bm-a@example.org"


def test_session_counts_registrations(register, world):
    caller = register(world.orgs["otwb"], scopes=(OTWB,), role=Role.OTWB_COORDINATOR)
    body = caller.get(f"/api/v1/otwb/sessies/{world.driehoek.pk}").json()
    assert body["confirmedRegistrations"] == 2
    assert body["registrationClosesAt"] is not None
    assert body["kind"] == "driehoek"


def test_session_filters_by_kind_and_period(register, world):
    caller = register(world.orgs["otwb"], scopes=(OTWB,), role=Role.OTWB_COORDINATOR)
    ids = {s["id"] for s in caller.get("/api/v1/otwb/sessies?kind=driehoek").json()["results"]}
    assert ids == {world.driehoek.pk}
    later = (timezone.now() + timedelta(days=200)).date().isoformat()
    assert caller.get(f"/api/v1/otwb/sessies?starts_from={later}").json()["results"] == []
    assert caller.get("/api/v1/otwb/sessies?kind=feest").status_code == 400


# --- Veilig Wonen ------------------------------------------------------------------------


def _bzk(register, world, *scopes):
    return register(world.orgs["bzk"], scopes=scopes or (VW,), role=Role.VW_INTAKE)


def test_application_has_queue_position_sla_state_and_costs(register, world):
    caller = _bzk(register, world)
    waiting = caller.get(f"/api/v1/veilig-wonen/aanvragen/{world.application['b'].pk}").json()
    assert waiting["queuePosition"] == 1
    assert waiting["slaState"] == "on_track"
    assert waiting["intakeDueAt"] is not None
    issued = caller.get(f"/api/v1/veilig-wonen/aanvragen/{world.application['a'].pk}").json()
    assert issued["queuePosition"] is None
    assert issued["status"] == "advice_issued"
    assert issued["slaState"] in ("met", "late")
    assert issued["measureCount"] == 2
    assert float(issued["estimatedCost"]) > 0
    assert issued["actualCost"] is None
    assert issued["indicators"] == ["recent_threats"]


def test_queue_position_follows_the_queue_order(register, world, gemeente_a, bzk, ccv, gemeente_b):
    cast = Cast(gemeente_a, gemeente_b, bzk, ccv)
    urgent = submit(cast, recent_threats=True, incidents_at_home=True)  # spoed
    caller = _bzk(register, world)
    rows = caller.get("/api/v1/veilig-wonen/aanvragen?waiting=true").json()["results"]
    positions = {r["id"]: r["queuePosition"] for r in rows}
    assert positions == {urgent.pk: 1, world.application["b"].pk: 2}


def test_application_filters_like_the_queue(register, world):
    caller = _bzk(register, world)

    def ids(q):
        return {
            r["id"] for r in caller.get(f"/api/v1/veilig-wonen/aanvragen?{q}").json()["results"]
        }

    assert ids("status=submitted") == {world.application["b"].pk}
    assert ids("urgency=hoog") == {world.application["a"].pk}
    assert ids("overdue=true") == set()
    assert caller.get("/api/v1/veilig-wonen/aanvragen?urgency=heel").status_code == 400


def test_applicant_names_only_with_personal_scope_and_home_never(register, world):
    path = f"/api/v1/veilig-wonen/aanvragen/{world.application['a'].pk}"
    plain = _bzk(register, world).get(path)
    assert plain.json()["personal"] is None
    applicant = world.application["a"].applicant.get_full_name()
    assert applicant not in plain.content.decode()
    personal = _bzk(register, world, VW, VW_PERSONAL).get(path)
    assert personal.json()["personal"]["applicantName"] == applicant
    body = personal.content.decode()
    for secret in (HOME, HOUSEHOLD, "06-12345678", "Achterdeur", "Bij de achterdeur"):
        assert secret not in body


def test_measures_with_costs_and_filters(register, world):
    caller = _bzk(register, world)
    rows = caller.get("/api/v1/veilig-wonen/maatregelen").json()["results"]
    assert {r["application"] for r in rows} == {world.application["a"].pk}
    assert {r["measureType"] for r in rows} == {"pkvw", "camera-intercom"}
    assert all(r["status"] == "planned" and r["organisation"] == "GM0344" for r in rows)
    assert caller.get("/api/v1/veilig-wonen/maatregelen?status=done").json()["results"] == []
    assert "Bij de achterdeur" not in str(rows)


def test_gemeente_client_cannot_get_veilig_wonen_scopes(gemeente_a):
    from django.core.exceptions import ValidationError

    from api import services

    with pytest.raises(ValidationError):
        services.request(
            requested_by=make_user(Role.SECRETARIS, gemeente_a),
            organisation=gemeente_a,
            name="Zaaksysteem",
            role=Role.SECRETARIS,
            scopes=[VW],
        )


def test_forged_veilig_wonen_scope_on_a_gemeente_client_still_sees_nothing(register, world):
    """Should a gemeente's client ever hold the scope (edited in the database), the
    resource itself still answers only BZK: a guessed id is a 404, audited."""
    caller = register(world.orgs["a"], scopes=(LEZEN,), role=Role.SECRETARIS)
    caller.client.scopes = [LEZEN, VW]
    caller.client.save(update_fields=["scopes"])
    caller.token = caller.fetch_token(scope=f"{LEZEN} {VW}")
    application = world.application["a"]
    assert caller.get("/api/v1/veilig-wonen/aanvragen").json()["results"] == []
    assert caller.get(f"/api/v1/veilig-wonen/aanvragen/{application.pk}").status_code == 404
    denied = AuditEvent.objects.for_object(application).get(action=AuditAction.ACCESS_DENIED)
    assert denied.detail["api_client"] == caller.client.pk


# --- timeline ------------------------------------------------------------------------------


def test_timeline_as_codes_params_and_text_without_names(register, world):
    caller = register(world.orgs["a"], scopes=(LEZEN,))
    entries = caller.get(f"/api/v1/meldingen/{world.melding['a'].pk}/tijdlijn").json()["results"]
    by_code = {e["code"]: e for e in entries}
    assert by_code["melding.status"]["params"] == {"old": "draft", "new": "submitted"}
    assert by_code["melding.status"]["text"]
    assigned = by_code["melding.assigned"]
    assert assigned["params"] == {}
    assert assigned["text"] == "Toegewezen aan …"
    assert assigned["actorName"] is None
    assert world.griffier["a"].get_full_name() not in str(entries)


def test_timeline_with_content_scope_names_people(register, world):
    caller = register(world.orgs["a"], scopes=(LEZEN, INHOUD))
    entries = caller.get(f"/api/v1/meldingen/{world.melding['a'].pk}/tijdlijn").json()["results"]
    assigned = next(e for e in entries if e["code"] == "melding.assigned")
    name = world.griffier["a"].get_full_name()
    assert assigned["params"] == {"n": name}
    assert assigned["text"] == f"Toegewezen aan {name}"
    assert assigned["actorName"] == name


def test_timeline_text_follows_accept_language(register, world):
    caller = register(world.orgs["a"], scopes=(LEZEN,))
    path = f"/api/v1/meldingen/{world.melding['a'].pk}/tijdlijn"
    entries = caller.get(path, HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    assigned = next(e for e in entries if e["code"] == "melding.assigned")
    assert assigned["text"] == "Assigned to …"


def test_text_only_line_is_withheld_without_content_scope(register, world):
    from incidents.constants import TimelineKind
    from incidents.models import TimelineEntry

    TimelineEntry.objects.create(
        melding=world.melding["a"],
        at=timezone.now(),
        kind=TimelineKind.ROUTING,
        summary="Niemand van Utrecht; daarom ontvangt Piet Jansen deze melding.",
    )
    path = f"/api/v1/meldingen/{world.melding['a'].pk}/tijdlijn"
    plain = register(world.orgs["a"], scopes=(LEZEN,)).get(path)
    assert "Piet Jansen" not in plain.content.decode()
    routing = [e for e in plain.json()["results"] if e["kind"] == "routing"]
    assert routing[0]["text"] is None
    full = register(world.orgs["a"], scopes=(LEZEN, INHOUD)).get(path)
    assert "Piet Jansen" in full.content.decode()


def test_every_timeline_code_is_classified():
    from api.timeline import CONTENT_PARAMS
    from incidents.timeline_texts import TEXTS

    assert set(CONTENT_PARAMS) == set(TEXTS)


# --- audit --------------------------------------------------------------------------------


def _views_by(caller, obj):
    return AuditEvent.objects.for_object(obj).filter(
        action=AuditAction.VIEW, actor_id=caller.client.account_id
    )


def test_sensitive_reads_are_audited_as_views_by_the_client(register, world):
    griffier = register(world.orgs["a"], scopes=(LEZEN, OTWB))
    griffier.get(f"/api/v1/meldingen/{world.melding['a'].pk}/tijdlijn")
    griffier.get("/api/v1/otwb/aanmeldingen")
    griffier.get(f"/api/v1/otwb/aanmeldingen/{world.registration['a'].pk}")
    bzk = _bzk(register, world)
    bzk.get("/api/v1/veilig-wonen/aanvragen")
    bzk.get(f"/api/v1/veilig-wonen/aanvragen/{world.application['a'].pk}")
    bzk.get("/api/v1/veilig-wonen/maatregelen")
    assert _views_by(griffier, world.melding["a"]).count() == 1
    assert _views_by(griffier, world.registration["a"]).count() == 2
    assert _views_by(bzk, world.application["a"]).count() == 3
    assert _views_by(bzk, world.application["b"]).count() == 1
    for caller in (griffier, bzk):
        lines = AuditEvent.objects.filter(actor_id=caller.client.account_id)
        assert {line.detail["api_client"] for line in lines} == {caller.client.pk}


@pytest.mark.parametrize(
    "path",
    [
        lambda w: f"/api/v1/meldingen/{w.melding['b'].pk}/tijdlijn",
        lambda w: f"/api/v1/otwb/aanmeldingen/{w.registration['b'].pk}",
        lambda w: f"/api/v1/otwb/sessies/{w.session['b'].pk}",
    ],
    ids=["tijdlijn", "aanmelding", "sessie"],
)
def test_guessed_id_of_another_organisation_is_404_and_audited(register, world, path):
    caller = register(world.orgs["a"], scopes=(LEZEN, INHOUD, OTWB, OTWB_PERSONAL))
    response = caller.get(path(world))
    assert response.status_code == 404
    assert response.json()["title"] == "Niet gevonden"
    assert "Verhaal b" not in response.content.decode()
    denied = AuditEvent.objects.filter(
        action=AuditAction.ACCESS_DENIED, actor_id=caller.client.account_id
    ).get()
    assert denied.detail["api_client"] == caller.client.pk


def test_unknown_id_is_the_same_404(register, world):
    caller = register(world.orgs["a"], scopes=(LEZEN, OTWB))
    for path in ("/api/v1/meldingen/999999/tijdlijn", "/api/v1/otwb/aanmeldingen/999999"):
        assert caller.get(path).status_code == 404


# --- organisations ---------------------------------------------------------------------


def test_organisations_list_is_for_every_client(register, world):
    caller = register(world.orgs["a"], scopes=(SCHRIJVEN,))
    rows = caller.get("/api/v1/organisaties?kind=gemeente").json()["results"]
    assert {"code": "GM0344", "name": "Utrecht", "kind": "gemeente", "province": "PV26"} in rows
    assert {r["kind"] for r in rows} == {"gemeente"}


def test_readiness_of_own_organisation(register, world):
    caller = register(world.orgs["a"], scopes=(PARAAT,))
    body = caller.get("/api/v1/organisaties/GM0344/paraatheid").json()
    assert body["organisation"] == "GM0344"
    assert {i["key"] for i in body["items"]} == {"address", "routes", "text", "accounts"}
    assert body["ready"] == all(i["done"] for i in body["items"])
    address = next(i for i in body["items"] if i["key"] == "address")
    assert address["done"] is True  # the fixture filled the profile
    assert address["gap"] == ""  # nothing missing: no "adres ontbreekt"


def test_readiness_of_a_national_body_is_404(register, world):
    caller = register(world.orgs["otwb"], scopes=(PARAAT,), role=Role.OTWB_COORDINATOR)
    assert caller.get("/api/v1/organisaties/BZK/paraatheid").status_code == 404
    assert caller.get("/api/v1/organisaties/GM0014/paraatheid").status_code == 200


def test_rate_limit_counts_every_resource_of_the_client_together(register, settings, gemeente_a):
    """One budget per client across all resources, as for meldingen: switching endpoints
    does not buy more requests."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"client": "3/min"},
    }
    caller = register(gemeente_a, scopes=(LEZEN, OTWB, PARAAT))
    paths = [
        "/api/v1/organisaties",
        "/api/v1/otwb/sessies",
        "/api/v1/organisaties/GM0344/paraatheid",
        "/api/v1/otwb/aanmeldingen",
    ]
    codes = [caller.get(path).status_code for path in paths]
    assert codes == [200, 200, 200, 429]


@pytest.mark.parametrize(
    ("code", "role", "scopes", "allowed"),
    [
        ("BZK", Role.VW_INTAKE, (VW, VW_PERSONAL), True),
        ("OTWB", Role.OTWB_COORDINATOR, (OTWB, OTWB_PERSONAL, PARAAT), True),
        ("GM0344", Role.GRIFFIER, (LEZEN, OTWB, PARAAT), True),
        ("GM0344", Role.VW_INTAKE, (VW,), False),  # a national role at a gemeente
        ("BZK", Role.GRIFFIER, (LEZEN,), False),  # a gemeente's role at BZK
        ("OTWB", Role.VW_INTAKE, (VW,), False),  # BZK's role at the OTWB
        ("BZK", Role.VW_INTAKE, (LEZEN,), False),  # meldingen are not BZK's
        ("OTWB", Role.OTWB_COORDINATOR, (VW,), False),
        ("GM0344", Role.VOORZITTER, (OTWB,), False),  # the tour's contact is the griffier
    ],
)
def test_client_role_belongs_to_its_organisation_and_scopes_to_its_role(
    organisations, code, role, scopes, allowed
):
    from django.core.exceptions import ValidationError

    from api import services

    organisation = organisations.get(code=code)
    asker = make_user(Role.FUNCTIONEEL_BEHEERDER, organisations.get(code="BZK"))
    ask = lambda: services.request(  # noqa: E731
        requested_by=asker, organisation=organisation, name="Systeem", role=role, scopes=scopes
    )
    if allowed:
        assert ask().scopes == sorted(scopes)
    else:
        with pytest.raises(ValidationError):
            ask()
