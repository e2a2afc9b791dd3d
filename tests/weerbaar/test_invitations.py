import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from weerbaar.constants import AuditAction, Role
from weerbaar.invitations import accept_invitation, create_invitation
from weerbaar.models import AuditEvent, Invitation, Membership, Notification, User
from weerbaar.notifications import deliver_pending


def invite(
    inviter, organisation, role=Role.OFFICE_HOLDER, position="raadslid", email="nieuw@example.org"
):
    return create_invitation(
        inviter=inviter, email=email, organisation=organisation, role=role, position=position
    )


def link_from_mail(message):
    return re.search(r"https?://\S+/uitnodiging/\S+/", message.body).group(0)


def test_griffier_invites_raadslid_who_accepts_once(
    griffier_a, gemeente_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _, token = invite(griffier_a, gemeente_a)
    # The email waits in the outbox, its link encrypted there, until the worker sends it.
    assert mail.outbox == []
    queued = Notification.objects.get(email="nieuw@example.org")
    assert token in queued.secret_link and token not in queued.body
    assert deliver_pending() == 1
    assert len(mail.outbox) == 1
    link = link_from_mail(mail.outbox[0])
    assert token in link
    assert Notification.objects.get(pk=queued.pk).secret_link == ""
    # Only the hash is stored.
    assert token not in Invitation.objects.values_list("token_hash", flat=True).get()

    user = accept_invitation(
        token=token, password="Lange zin voor mijn portaal", full_name="Nina Nieuw"
    )
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.role, membership.position) == (
        gemeente_a,
        Role.OFFICE_HOLDER,
        "raadslid",
    )
    assert user.check_password("Lange zin voor mijn portaal")
    assert user.emailaddress_set.get().verified
    assert AuditEvent.objects.filter(action=AuditAction.INVITE_ACCEPTED, actor=user).exists()

    with pytest.raises(ValidationError, match="al gebruikt"):
        accept_invitation(token=token, password="Nog een lange zin hier", full_name="X")
    assert User.objects.filter(email="nieuw@example.org").count() == 1


def test_expired_invitation_is_refused_with_a_clear_message(griffier_a, gemeente_a):
    _, token = invite(griffier_a, gemeente_a)
    with (
        time_machine.travel(timezone.now() + timezone.timedelta(days=8)),
        pytest.raises(ValidationError, match="verlopen"),
    ):
        accept_invitation(token=token, password="Lange zin voor mijn portaal")
    assert not User.objects.filter(email="nieuw@example.org").exists()


def test_unknown_token_is_refused(db):
    with pytest.raises(ValidationError, match="bestaat niet"):
        accept_invitation(token="geraden-token", password="Lange zin voor mijn portaal")


def test_griffier_cannot_invite_into_another_gemeente(griffier_a, gemeente_b):
    with pytest.raises(PermissionDenied):
        invite(griffier_a, gemeente_b)


def test_griffier_cannot_hand_out_national_roles(griffier_a, gemeente_a, bzk):
    with pytest.raises(PermissionDenied):
        invite(griffier_a, bzk, role=Role.BVA, position="")


def test_office_holder_cannot_invite(user_factory, gemeente_a):
    raadslid = user_factory(Role.OFFICE_HOLDER, gemeente_a)
    with pytest.raises(PermissionDenied):
        invite(raadslid, gemeente_a)


def test_functioneel_beheerder_invites_anyone(user_factory, bzk, gemeente_b):
    beheerder = user_factory(Role.FUNCTIONEEL_BEHEERDER, bzk)
    invitation, _ = invite(beheerder, bzk, role=Role.BVA, position="")
    assert invitation.role == Role.BVA
    invitation, _ = invite(
        beheerder, gemeente_b, email="griffier@example.org", role=Role.GRIFFIER, position=""
    )
    assert invitation.organisation == gemeente_b


def test_accept_page_creates_account_and_logs_in(griffier_a, gemeente_a):
    _, token = invite(griffier_a, gemeente_a)
    client = Client()
    page = client.get(f"/uitnodiging/{token}/")
    assert page.status_code == 200
    response = client.post(
        f"/uitnodiging/{token}/",
        {"full_name": "Nina Nieuw", "password1": "kort", "password2": "kort"},
    )
    # Too short: a Dutch message, the name typed is kept.
    assert response.status_code == 200
    assert "Nina Nieuw" in response.content.decode()
    assert "12" in response.content.decode()
    response = client.post(
        f"/uitnodiging/{token}/",
        {
            "full_name": "Nina Nieuw",
            "password1": "Lange zin voor mijn portaal",
            "password2": "Lange zin voor mijn portaal",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    reused = Client().get(f"/uitnodiging/{token}/")
    assert reused.status_code == 410
    assert "al gebruikt" in reused.content.decode()


def test_invitation_form_offers_only_own_organisation(
    griffier_a, gemeente_a, gemeente_b, client_for
):
    client = client_for(griffier_a)
    response = client.post(
        "/uitnodigingen/",
        {
            "email": "x@example.org",
            "organisation": gemeente_b.pk,
            "role": Role.OFFICE_HOLDER,
            "position": "raadslid",
        },
    )
    assert response.status_code == 200
    assert not Invitation.objects.exists()
    response = client.post(
        "/uitnodigingen/",
        {
            "email": "x@example.org",
            "organisation": gemeente_a.pk,
            "role": Role.OFFICE_HOLDER,
            "position": "raadslid",
        },
    )
    assert response.status_code == 302
    assert Invitation.objects.get().organisation == gemeente_a


def test_invitation_list_shows_nothing_of_another_gemeente(
    griffier_a, griffier_b, gemeente_a, gemeente_b, client_for
):
    invite(griffier_b, gemeente_b, email="geheim-b@example.org")
    invite(griffier_a, gemeente_a, email="eigen-a@example.org")
    content = client_for(griffier_a).get("/uitnodigingen/").content.decode()
    assert "eigen-a@example.org" in content
    assert "geheim-b@example.org" not in content


def test_reporter_cannot_open_the_invitation_page(user_factory, gemeente_a, client_for):
    raadslid = user_factory(Role.OFFICE_HOLDER, gemeente_a)
    assert client_for(raadslid).get("/uitnodigingen/").status_code == 403
