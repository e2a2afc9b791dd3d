"""Issue 18 §1: the trail of a role (every request, approval, refusal and ending is an
AuditEvent; the organisation's triagers are told when someone new reads their route), the
approval screens (POST with CSRF, a reason for a refusal, the requester's view), the admin
(read-only memberships, ending through the service) and the source: no membership is
written anywhere but in ``weerbaar.memberships``."""

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import mark_mfa_passed
from tests.factories import make_user
from tests.incidents.factories import make_melding
from weerbaar import memberships
from weerbaar.constants import AuditAction, Position, Role
from weerbaar.models import AuditEvent, Membership, MembershipRequest, Notification

ROOT = Path(__file__).resolve().parents[2]


def client_of(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    mark_mfa_passed(client, user)
    return client


@pytest.fixture
def office(gemeente_a):
    return {
        "griffier": make_user(Role.GRIFFIER, gemeente_a),
        "secretaris": make_user(Role.SECRETARIS, gemeente_a),
        "voorzitter": make_user(Role.VOORZITTER, gemeente_a),
        "raadslid": make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID),
    }


def actions_for(obj):
    return list(AuditEvent.objects.for_object(obj).order_by("pk").values_list("action", flat=True))


def test_request_approval_and_ending_are_audited_and_triagers_told(office, gemeente_a):
    melding = make_melding(office["raadslid"])
    newcomer = make_user(Role.CIVIL_SERVANT, gemeente_a)
    mreq = memberships.request(
        requested_by=office["griffier"], organisation=gemeente_a, role=Role.GRIFFIER, user=newcomer
    )
    assert actions_for(mreq) == [AuditAction.MEMBERSHIP_REQUESTED]
    assert not newcomer.has_role(Role.GRIFFIER)
    # The approvers are told a request waits (the requester is not).
    waiting = set(
        Notification.objects.filter(kind="weerbaar.membership_request").values_list(
            "recipient_id", flat=True
        )
    )
    assert waiting == {office["secretaris"].pk, office["voorzitter"].pk}

    memberships.approve(approver=office["secretaris"], membership_request=mreq)
    assert actions_for(mreq) == [AuditAction.MEMBERSHIP_REQUESTED, AuditAction.MEMBERSHIP_APPROVED]
    membership = MembershipRequest.objects.get(pk=mreq.pk).membership
    granted = AuditEvent.objects.for_object(membership).get()
    assert granted.action == AuditAction.MEMBERSHIP_GRANTED
    assert granted.detail["approved_by"] == office["secretaris"].pk
    told = Notification.objects.filter(kind="weerbaar.membership_granted")
    assert set(told.values_list("recipient_id", flat=True)) == {
        office["griffier"].pk,
        office["secretaris"].pk,
        office["voorzitter"].pk,
    }
    for note in told:
        assert melding.description not in note.body and melding.reference not in note.body
        assert newcomer.get_full_name() in note.body

    memberships.end(membership=membership, actor=office["secretaris"], reason="vertrokken")
    assert actions_for(membership)[-1] == AuditAction.MEMBERSHIP_ENDED
    newcomer.__dict__.pop("active_memberships", None)
    assert not newcomer.has_role(Role.GRIFFIER)


def test_refusal_needs_a_reason_and_is_audited(office, gemeente_a, client_for):
    newcomer = make_user(Role.CIVIL_SERVANT, gemeente_a)
    mreq = memberships.request(
        requested_by=office["griffier"],
        organisation=gemeente_a,
        role=Role.VOORZITTER,
        user=newcomer,
    )
    client = client_for(office["secretaris"])
    response = client.post(f"/rollen/{mreq.pk}/", {"decision": "refuse", "reason": ""})
    assert response.status_code == 200
    assert "Geef aan waarom" in response.content.decode()
    response = client.post(
        f"/rollen/{mreq.pk}/", {"decision": "refuse", "reason": "Is geen burgemeester"}
    )
    assert response.status_code == 302
    mreq.refresh_from_db()
    assert (mreq.decision, mreq.decided_by, mreq.reason) == (
        "refused",
        office["secretaris"],
        "Is geen burgemeester",
    )
    assert actions_for(mreq)[-1] == AuditAction.MEMBERSHIP_REFUSED
    assert not Membership.objects.filter(user=newcomer, role=Role.VOORZITTER).exists()
    # The requester sees the state of their request, and can no longer change it.
    page = client_for(office["griffier"]).get("/rollen/").content.decode()
    assert "Geweigerd" in page
    again = client_for(office["secretaris"]).post(f"/rollen/{mreq.pk}/", {"decision": "approve"})
    assert again.status_code == 403


def test_the_approval_list_shows_what_one_may_decide(office, gemeente_a, client_for):
    newcomer = make_user(Role.CIVIL_SERVANT, gemeente_a)
    mreq = memberships.request(
        requested_by=office["griffier"],
        organisation=gemeente_a,
        role=Role.SECRETARIS,
        user=newcomer,
    )
    link = f"/rollen/{mreq.pk}/"
    assert link in client_for(office["voorzitter"]).get("/rollen/").content.decode()
    assert "Goedkeuren" in client_for(office["voorzitter"]).get(link).content.decode()
    # The requester sees it but gets no form; a reporter of the same gemeente gets a 404.
    own = client_for(office["griffier"]).get(link).content.decode()
    assert "Goedkeuren" not in own and "Wacht op goedkeuring" in own
    assert client_for(office["raadslid"]).get(link).status_code == 404


def test_a_decision_without_csrf_token_is_refused(office, gemeente_a):
    newcomer = make_user(Role.CIVIL_SERVANT, gemeente_a)
    mreq = memberships.request(
        requested_by=office["griffier"],
        organisation=gemeente_a,
        role=Role.GRIFFIER,
        user=newcomer,
    )
    client = client_of(office["secretaris"], enforce_csrf_checks=True)
    assert client.post(f"/rollen/{mreq.pk}/", {"decision": "approve"}).status_code == 403
    mreq.refresh_from_db()
    assert mreq.is_pending


def test_the_database_refuses_a_four_eyes_decision_by_the_requester(office, gemeente_a):
    from django.db import IntegrityError, transaction

    newcomer = make_user(Role.CIVIL_SERVANT, gemeente_a)
    mreq = memberships.request(
        requested_by=office["griffier"],
        organisation=gemeente_a,
        role=Role.GRIFFIER,
        user=newcomer,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipRequest.objects.filter(pk=mreq.pk).update(
            decision="approved", decided_by=office["griffier"]
        )


@pytest.fixture
def beheerder(bzk):
    return make_user(Role.FUNCTIONEEL_BEHEERDER, bzk, is_staff=True, is_superuser=True)


def test_admin_shows_memberships_read_only_and_ends_them_through_the_service(
    beheerder, office, client_for
):
    client = client_for(beheerder)
    membership = office["griffier"].active_memberships[0]
    assert client.get("/beheer/weerbaar/membership/add/").status_code == 403
    assert client.get(f"/beheer/weerbaar/membership/{membership.pk}/change/").status_code == 200
    client.post(
        f"/beheer/weerbaar/membership/{membership.pk}/change/",
        {"role": Role.VOORZITTER, "valid_until_0": "", "valid_until_1": ""},
    )
    assert Membership.objects.get(pk=membership.pk).role == Role.GRIFFIER
    assert (
        client.post(
            f"/beheer/weerbaar/membership/{membership.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    response = client.post(
        "/beheer/weerbaar/membership/",
        {"action": "end_memberships", "_selected_action": [membership.pk]},
    )
    assert response.status_code == 302
    assert Membership.objects.get(pk=membership.pk).valid_until is not None
    assert actions_for(membership)[-1] == AuditAction.MEMBERSHIP_ENDED
    # Nor can the address of an account be changed there (reset → someone else's role).
    client.post(
        f"/beheer/weerbaar/user/{office['griffier'].pk}/change/",
        {"email": "beheerder-tweede@example.net", "full_name": "X", "is_active": "on"},
    )
    office["griffier"].refresh_from_db()
    assert office["griffier"].email != "beheerder-tweede@example.net"


# Writes of a membership: the model's and queryset's writers, and the reverse manager's.
WRITES = re.compile(
    r"Membership\.objects\.(create|get_or_create|update_or_create|bulk_create|bulk_update)\("
    r"|\.memberships\.(create|update|get_or_create|update_or_create|bulk_create|all\(\)\.delete)\("
    r"|\.update\(\s*valid_(until|from)="
    r"|membership_service_write\("
)
SERVICE = {"weerbaar/memberships.py", "weerbaar/models/users.py"}


def test_no_code_outside_the_service_writes_a_membership():
    found = []
    for folder in ("weerbaar", "incidents", "veiligwonen", "otwb", "monitor", "tests", "scripts"):
        for path in (ROOT / folder).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if (
                rel in SERVICE
                or "/migrations/" in rel
                or rel == "tests/security/test_four_eyes_trail.py"
            ):
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if WRITES.search(line):
                    found.append(f"{rel}:{n}: {line.strip()}")
    assert found == []


def test_only_the_service_can_write_a_membership(office, gemeente_a):
    from weerbaar.models.users import MembershipWriteRefused

    with pytest.raises(MembershipWriteRefused):
        Membership.objects.create(user=office["raadslid"], organisation=gemeente_a, role="bva")
    with pytest.raises(MembershipWriteRefused):
        Membership.objects.filter(user=office["griffier"]).update(valid_until=None)
    with pytest.raises(MembershipWriteRefused):
        Membership.objects.filter(user=office["griffier"]).delete()
    membership = office["griffier"].active_memberships[0]
    membership.role = Role.VOORZITTER
    with pytest.raises(MembershipWriteRefused):
        membership.save()
