"""Issue 18 §1: nobody grants themselves access. Every (actor role × granted role × own /
foreign organisation) is walked through the real views — the invitation form, the accept
page, the approval page and the admin — with the expectations written out here, not read
from the table under test. The table itself is checked against the issue's list below."""

import re

import pytest
from django.core import mail
from django.test import Client

from tests.conftest import mark_mfa_passed
from tests.factories import make_user
from weerbaar.constants import OrganisationKind, Role
from weerbaar.membership_rules import RULES, SENSITIVE_ROLES, may_approve
from weerbaar.models import (
    Invitation,
    Membership,
    MembershipRequest,
    Organisation,
    User,
)
from weerbaar.notifications import deliver_pending

PASSWORD = "Een lange zin voor een nieuw account"
LOCAL = [Role.OFFICE_HOLDER, Role.CIVIL_SERVANT, Role.GRIFFIER, Role.SECRETARIS, Role.VOORZITTER]
# The issue's list: roles that triage or see other people's cases.
ISSUE_SENSITIVE = {
    Role.GRIFFIER,
    Role.SECRETARIS,
    Role.VOORZITTER,
    Role.VERTROUWENSPERSOON,
    Role.OTWB_COORDINATOR,
    Role.VW_INTAKE,
    Role.SECURITY_ADVISER,
    Role.BVA,
    Role.ANALYST,
    Role.FUNCTIONEEL_BEHEERDER,
}
NATIONAL_BODY = {
    Role.VERTROUWENSPERSOON: "OTWB",
    Role.OTWB_COORDINATOR: "OTWB",
    Role.VW_INTAKE: "BZK",
    Role.SECURITY_ADVISER: "CCV",
    Role.BVA: "BZK",
    Role.ANALYST: "BZK",
    Role.FUNCTIONEEL_BEHEERDER: "BZK",
}
ACTORS = [
    "griffier_a",
    "secretaris_a",
    "voorzitter_a",
    "raadslid_a",
    "ambtenaar_a",
    "beheerder",
    "coordinator",
    "vertrouwenspersoon",
    "intake",
    "adviseur",
    "bva",
    "analist",
]


@pytest.fixture
def world(gemeente_a, gemeente_b, bzk, ccv, otwb_org):
    people = {
        "griffier_a": make_user(Role.GRIFFIER, gemeente_a),
        "secretaris_a": make_user(Role.SECRETARIS, gemeente_a),
        "voorzitter_a": make_user(Role.VOORZITTER, gemeente_a),
        "raadslid_a": make_user(Role.OFFICE_HOLDER, gemeente_a),
        "griffier_b": make_user(Role.GRIFFIER, gemeente_b),
        # Of a third gemeente: foreign to every organisation a role is asked for here.
        "griffier_c": make_user(Role.GRIFFIER, Organisation.objects.get(code="GM0307")),
        "beheerder": make_user(Role.FUNCTIONEEL_BEHEERDER, bzk, is_staff=True, is_superuser=True),
        "beheerder_2": make_user(Role.FUNCTIONEEL_BEHEERDER, bzk, is_staff=True, is_superuser=True),
        "coordinator": make_user(Role.OTWB_COORDINATOR, otwb_org),
        "bva": make_user(Role.BVA, bzk),
        "ambtenaar_a": make_user(Role.CIVIL_SERVANT, gemeente_a),
        "vertrouwenspersoon": make_user(Role.VERTROUWENSPERSOON, otwb_org),
        "intake": make_user(Role.VW_INTAKE, bzk),
        "adviseur": make_user(Role.SECURITY_ADVISER, ccv),
        "analist": make_user(Role.ANALYST, bzk),
    }
    orgs = {"own": gemeente_a, "foreign": gemeente_b, "BZK": bzk, "CCV": ccv, "OTWB": otwb_org}
    return people, orgs


def client_of(user):
    client = Client()
    client.force_login(user)
    mark_mfa_passed(client, user)
    return client


def test_the_table_covers_every_role_and_matches_the_issue():
    assert set(RULES) == set(Role)
    assert SENSITIVE_ROLES == ISSUE_SENSITIVE
    for role in (Role.OFFICE_HOLDER, Role.CIVIL_SERVANT):
        assert not RULES[role].four_eyes
    for role in NATIONAL_BODY:
        # National roles: only the functioneel beheerder asks.
        assert RULES[role].requesters == ((Role.FUNCTIONEEL_BEHEERDER, "any"),), role
    assert RULES[Role.FUNCTIONEEL_BEHEERDER].approvers == ((Role.FUNCTIONEEL_BEHEERDER, "any"),)
    for role in (Role.GRIFFIER, Role.SECRETARIS, Role.VOORZITTER):
        # A local office is confirmed by another office of the same organisation.
        assert (role, "own") not in RULES[role].approvers


@pytest.mark.parametrize(
    ("approver", "role", "org", "expected"),
    [
        ("secretaris_a", Role.GRIFFIER, "own", True),
        ("voorzitter_a", Role.GRIFFIER, "own", True),
        ("griffier_a", Role.GRIFFIER, "own", False),
        ("griffier_a", Role.VOORZITTER, "own", True),
        ("griffier_a", Role.SECRETARIS, "own", True),
        ("secretaris_a", Role.VOORZITTER, "own", True),
        ("griffier_a", Role.VOORZITTER, "foreign", False),
        ("griffier_b", Role.VOORZITTER, "own", False),
        ("raadslid_a", Role.GRIFFIER, "own", False),
        ("beheerder", Role.VOORZITTER, "foreign", True),
        ("coordinator", Role.VERTROUWENSPERSOON, "OTWB", True),
        ("coordinator", Role.BVA, "BZK", False),
        ("bva", Role.SECURITY_ADVISER, "CCV", True),
        ("bva", Role.ANALYST, "BZK", True),
        ("bva", Role.VERTROUWENSPERSOON, "OTWB", False),
        ("bva", Role.FUNCTIONEEL_BEHEERDER, "BZK", False),
        ("coordinator", Role.FUNCTIONEEL_BEHEERDER, "BZK", False),
        ("beheerder", Role.FUNCTIONEEL_BEHEERDER, "BZK", True),
        ("griffier_a", Role.OFFICE_HOLDER, "own", False),  # one step: nobody approves
    ],
)
def test_who_may_approve(world, approver, role, org, expected):
    people, orgs = world
    assert may_approve(people[approver], organisation=orgs[org], role=role) is expected


def expected_may_request(actor, role, org_key):
    if actor == "beheerder":
        return True
    return actor in ("griffier_a", "secretaris_a") and role in LOCAL and org_key == "own"


def targets():
    for role in LOCAL:
        yield role, "own"
        yield role, "foreign"
    for role, body in NATIONAL_BODY.items():
        yield role, body


def invite(client, *, email, organisation, role, capture):
    position = "raadslid" if role == Role.OFFICE_HOLDER else ""
    if role == Role.OFFICE_HOLDER and organisation.kind != OrganisationKind.GEMEENTE:
        position = ""
    with capture(execute=True):
        return client.post(
            "/uitnodigingen/",
            {
                "email": email,
                "full_name": "Nieuw Iemand",
                "organisation": organisation.pk,
                "role": role,
                "position": position,
            },
        )


def accept(email):
    deliver_pending()
    message = next(m for m in reversed(mail.outbox) if email in m.to)
    link = re.search(r"https?://\S+/uitnodiging/\S+/", message.body).group(0)
    client = Client()
    response = client.post(
        link, {"full_name": "Nieuw Iemand", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    invitee = User.objects.get(email=email)
    mark_mfa_passed(client, invitee)
    return invitee, client


def decide(client, mreq, decision="approve", reason=""):
    return client.post(f"/rollen/{mreq.pk}/", {"decision": decision, "reason": reason})


@pytest.mark.parametrize("actor_key", ACTORS)
def test_every_actor_role_and_organisation(world, actor_key, django_capture_on_commit_callbacks):
    people, orgs = world
    actor = people[actor_key]
    actor_client = client_of(actor)
    second_approver = client_of(people["beheerder_2"])
    foreign = client_of(people["griffier_c"])
    held = set(Membership.objects.filter(user=actor).values_list("pk", "role", "valid_until"))
    for n, (role, org_key) in enumerate(targets()):
        organisation = orgs[org_key]
        label = (actor_key, role, org_key)
        # A self-grant is refused, whatever the role.
        invite(
            actor_client,
            email=actor.email.upper(),
            organisation=organisation,
            role=role,
            capture=django_capture_on_commit_callbacks,
        )
        assert not Invitation.objects.filter(email=actor.email).exists(), label
        # So is one through the admin (only the beheerder reaches it at all).
        actor_client.post(
            "/beheer/weerbaar/membership/add/",
            {"user": actor.pk, "organisation": organisation.pk, "role": role},
        )
        assert (
            set(Membership.objects.filter(user=actor).values_list("pk", "role", "valid_until"))
            == held
        ), label

        email = f"tweede-{actor_key}-{n}@example.net"
        invite(
            actor_client,
            email=email,
            organisation=organisation,
            role=role,
            capture=django_capture_on_commit_callbacks,
        )
        mreq = MembershipRequest.objects.filter(email=email).first()
        if not expected_may_request(actor_key, role, org_key):
            assert mreq is None and not Invitation.objects.filter(email=email).exists(), label
            continue
        assert mreq is not None, label
        if role not in ISSUE_SENSITIVE:
            invitee, _ = accept(email)
            assert Membership.objects.active().filter(user=invitee, role=role).exists(), label
            continue

        # A sensitive role waits: the account exists, the role grants nothing.
        assert mreq.is_pending, label
        invitee, invitee_client = accept(email)
        assert not Membership.objects.active().filter(user=invitee).exists(), label
        assert "wacht op goedkeuring" in invitee_client.get("/").content.decode(), label
        # Neither the requester nor the grantee may approve; another organisation sees nothing.
        assert decide(actor_client, mreq).status_code == 403, label
        assert decide(invitee_client, mreq).status_code == 403, label
        assert foreign.get(f"/rollen/{mreq.pk}/").status_code == 404, label
        assert decide(foreign, mreq).status_code == 404, label
        mreq.refresh_from_db()
        assert mreq.is_pending, label
        assert not Membership.objects.active().filter(user=invitee).exists(), label
        # A second, different person with the right to approve: now it takes effect.
        assert decide(second_approver, mreq).status_code == 302, label
        assert Membership.objects.active().filter(user=invitee, role=role).exists(), label
