"""ASVS 8.2.1 / 8.2.2: every URL of the portal, walked as every role, with the ids of real
objects of another organisation (gemeente B).

For each role the walk does two things:

- GET every path of the URL conf (sample ids): never a server error.
- GET and POST every object URL (detail, edit, step, PDF, attachment, export, iCal) with
  B's ids where the role has no business with B's object: the answer is a refusal and
  *exactly the same* as for an id that does not exist — so an id reveals nothing — and no
  row of any app changed.

The totals are printed for SECURITY.md (``-s`` shows them)."""

import pytest

from weerbaar.constants import Position, Role

from .urlwalk import all_paths
from .world import MISSING, WorldB, fill, object_routes

ALL_APPS = {"incidents", "veiligwonen", "otwb"}
# role → (organisation fixture, position, apps whose objects of gemeente B it must not reach)
ROLES = {
    "raadslid_a": (Role.OFFICE_HOLDER, "gemeente_a", Position.RAADSLID, ALL_APPS),
    "burgemeester_a": (Role.OFFICE_HOLDER, "gemeente_a", Position.BURGEMEESTER, ALL_APPS),
    "ambtenaar_a": (Role.CIVIL_SERVANT, "gemeente_a", "", ALL_APPS),
    "griffier_a": (Role.GRIFFIER, "gemeente_a", "", ALL_APPS),
    "secretaris_a": (Role.SECRETARIS, "gemeente_a", "", ALL_APPS),
    "voorzitter_a": (Role.VOORZITTER, "gemeente_a", "", ALL_APPS),
    # National roles: B's objects of another domain than theirs.
    "vw_intake": (Role.VW_INTAKE, "bzk", "", {"incidents", "otwb"}),
    "adviser_not_assigned": (Role.SECURITY_ADVISER, "ccv", "", ALL_APPS),
    "bva": (Role.BVA, "bzk", "", {"incidents", "otwb"}),
    "analyst": (Role.ANALYST, "bzk", "", ALL_APPS),
    "functioneel_beheerder": (Role.FUNCTIONEEL_BEHEERDER, "bzk", "", ALL_APPS),
    "vertrouwenspersoon": (Role.VERTROUWENSPERSOON, "otwb_org", "", ALL_APPS),
    "otwb_coordinator": (Role.OTWB_COORDINATOR, "otwb_org", "", {"incidents", "veiligwonen"}),
}
REFUSED = {403, 404, 405}
# Object URLs of B that a role keeps nationally by design: the functioneel beheerder helps
# every organisation set up its local protocol, steps and letters (issue 19 §1-2).
NATIONAL_REACH = {
    name: {"functioneel_beheerder"}
    for name in (
        "incidents:protocol_routes",
        "incidents:local_steps",
        "incidents:local_step",
        "incidents:letter_templates",
        "incidents:letter_template",
        "incidents:letter_template_reset",
    )
}


@pytest.fixture
def world(gemeente_a, gemeente_b, bzk, ccv):
    return WorldB(gemeente_b, gemeente_a, bzk, ccv)


def as_user(request, user_factory, client_for, key):
    role, org_fixture, position, _apps = ROLES[key]
    user = user_factory(role, request.getfixturevalue(org_fixture), position)
    return user, client_for(user)


def walk_every_url(key, client):
    """GET every path of the URL conf (the admin's 116 only as the functioneel beheerder:
    for every other role the admin is one rule, proven by tests/weerbaar/test_admin.py)."""
    walked = 0
    for path in all_paths():
        if path.startswith(("/static/", "/accounts/logout/")):
            continue
        if path.startswith("/beheer/") and key != "functioneel_beheerder":
            continue
        response = client.get(path)
        assert response.status_code < 500, (key, path)
        walked += 1
    return walked


def probe_objects_of_b(key, client, world):
    """GET and POST every object URL of B where ``key`` has no business: refused exactly as
    for an id that does not exist."""
    checked = 0
    for name, route, converters in object_routes():
        if name.split(":")[0] not in ROLES[key][3] or key in NATIONAL_REACH.get(name, ()):
            continue
        kwargs = world.kwargs_for(name, converters)
        real = fill(route, kwargs)
        fake = fill(
            route, {k: (MISSING if converters[k] == "int" else v) for k, v in kwargs.items()}
        )
        for method in ("get", "post"):
            answer = getattr(client, method)(real)
            control = getattr(client, method)(fake)
            assert answer.status_code in REFUSED, (key, method, real, answer.status_code)
            assert answer.status_code == control.status_code, (key, method, real)
            checked += 1
    return checked


@pytest.mark.parametrize("key", ROLES)
def test_8_2_1_and_8_2_2_every_url_as_every_role_and_objects_of_another_gemeente(
    key, request, world, user_factory, client_for
):
    _user, client = as_user(request, user_factory, client_for, key)
    before = world.fingerprint()
    walked = walk_every_url(key, client)
    checked = probe_objects_of_b(key, client, world)
    assert world.fingerprint() == before, "a refused request changed data"
    print(f"\n8.2 {key}: {walked} URLs walked, {checked} object requests refused")
    assert walked > 90 and checked >= 10


def test_8_2_2_the_walk_covers_every_object_url_of_every_app(world):
    routes = object_routes()
    names = {name for name, _route, _conv in routes}
    # detail, edit, PDF, attachment, export per object, iCal: all present and filled.
    for expected in [
        "incidents:case",
        "incidents:edit",
        "incidents:attachment",
        "incidents:aangifte_pdf",
        "incidents:revoke",
        "veiligwonen:detail",
        "veiligwonen:pdf_applicant",
        "veiligwonen:measure_update",
        "veiligwonen:download_document",
        "otwb:traject_detail",
        "otwb:invitation_letter",
        "otwb:session_ics",
        "otwb:registration_cancel",
    ]:
        assert expected in names
    for name, route, converters in routes:
        assert str(MISSING) not in fill(route, world.kwargs_for(name, converters)), name
    assert len(routes) >= 35
