"""Issue 18 §1, the attacks as reported, through the real views only (so the same file runs
against the code before the fix, where each of them succeeded):

- the functioneel beheerder gives itself the vertrouwenspersoon role in /beheer/ (add form,
  and the inline on its own user page) and reads a confidential melding;
- a griffier invites an address it controls as voorzitter of its own gemeente, accepts,
  and reads a wethouder's melding it is refused itself;
- a secretaris does the same the other way round (a second self as griffier, a raadslid's
  melding).

After the fix each is refused or waits for a second person, and the melding stays a 404."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from incidents.models import Melding
from tests.conftest import mark_mfa_passed
from tests.incidents.factories import make_melding
from weerbaar.constants import Position, Role
from weerbaar.models import Membership, User
from weerbaar.notifications import deliver_pending

PASSWORD = "Een lange zin voor mijn tweede ik"


@pytest.fixture
def beheerder(bzk, user_factory):
    return user_factory(Role.FUNCTIONEEL_BEHEERDER, bzk, is_staff=True, is_superuser=True)


def case_url(melding):
    return reverse("incidents:case", args=[melding.pk])


def test_beheerder_cannot_give_itself_vertrouwenspersoon_in_the_admin(
    beheerder, otwb_org, gemeente_a, user_factory, client_for
):
    raadslid = user_factory(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    melding = make_melding(raadslid, confidential=True)
    assert Melding.objects.get(pk=melding.pk).confidential
    client = client_for(beheerder)
    assert client.get(case_url(melding)).status_code == 404

    client.post(
        "/beheer/weerbaar/membership/add/",
        {
            "user": beheerder.pk,
            "organisation": otwb_org.pk,
            "role": Role.VERTROUWENSPERSOON,
            "position": "",
            "valid_from_0": "2020-01-01",
            "valid_from_1": "00:00:00",
        },
    )
    assert client.get(case_url(melding)).status_code == 404
    assert not Membership.objects.filter(user=beheerder, role=Role.VERTROUWENSPERSOON).exists()


def test_beheerder_cannot_give_itself_a_role_through_the_user_page(
    beheerder, otwb_org, gemeente_a, user_factory, client_for
):
    raadslid = user_factory(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    melding = make_melding(raadslid, confidential=True)
    client = client_for(beheerder)
    existing = list(Membership.objects.filter(user=beheerder))
    data = {
        "email": beheerder.email,
        "full_name": beheerder.full_name,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "memberships-TOTAL_FORMS": str(len(existing) + 1),
        "memberships-INITIAL_FORMS": str(len(existing)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for i, m in enumerate(existing):
        data |= {
            f"memberships-{i}-id": m.pk,
            f"memberships-{i}-user": beheerder.pk,
            f"memberships-{i}-organisation": m.organisation_id,
            f"memberships-{i}-role": m.role,
            f"memberships-{i}-position": m.position,
            f"memberships-{i}-valid_from_0": m.valid_from.strftime("%Y-%m-%d"),
            f"memberships-{i}-valid_from_1": m.valid_from.strftime("%H:%M:%S"),
        }
    n = len(existing)
    data |= {
        f"memberships-{n}-user": beheerder.pk,
        f"memberships-{n}-organisation": otwb_org.pk,
        f"memberships-{n}-role": Role.VERTROUWENSPERSOON,
        f"memberships-{n}-position": "",
        f"memberships-{n}-valid_from_0": "2020-01-01",
        f"memberships-{n}-valid_from_1": "00:00:00",
    }
    client.post(f"/beheer/weerbaar/user/{beheerder.pk}/change/", data)
    assert client.get(case_url(melding)).status_code == 404
    assert not Membership.objects.filter(user=beheerder, role=Role.VERTROUWENSPERSOON).exists()


def invite_second_self(client, organisation, role, email, capture):
    with capture(execute=True):
        response = client.post(
            "/uitnodigingen/",
            {
                "email": email,
                "full_name": "Tweede Ik",
                "organisation": organisation.pk,
                "role": role,
                "position": "",
            },
        )
    assert response.status_code == 302, "the invitation itself is allowed: it is a request"
    deliver_pending()
    message = next(m for m in mail.outbox if email in m.to)
    return re.search(r"https?://\S+/uitnodiging/\S+/", message.body).group(0)


def accept_as_second_self(link, email):
    """Accept the invitation and (as the attacker controls the address) pass the second
    factor too: nothing but the role itself stands between the second self and the case."""
    client = Client()
    response = client.post(
        link, {"full_name": "Tweede Ik", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    mark_mfa_passed(client, User.objects.get(email=email))
    return client


@pytest.mark.parametrize(
    ("actor_role", "granted", "position"),
    [
        # A griffier may not read a wethouder's melding; a voorzitter may.
        (Role.GRIFFIER, Role.VOORZITTER, Position.WETHOUDER),
        # ...nor a secretaris's second self, as secretaris (route of the executive).
        (Role.GRIFFIER, Role.SECRETARIS, Position.WETHOUDER),
        # The other way round: a secretaris's second self as griffier reads raadsleden.
        (Role.SECRETARIS, Role.GRIFFIER, Position.RAADSLID),
    ],
)
def test_second_self_invited_to_a_triage_role_reads_nothing(
    actor_role,
    granted,
    position,
    gemeente_a,
    user_factory,
    client_for,
    django_capture_on_commit_callbacks,
):
    actor = user_factory(actor_role, gemeente_a)
    # The route's own triager is there (no fallback to the actor's role).
    user_factory(granted, gemeente_a)
    reporter = user_factory(Role.OFFICE_HOLDER, gemeente_a, position)
    melding = make_melding(reporter)
    assert client_for(actor).get(case_url(melding)).status_code == 404

    email = "tweede.ik@example.net"
    link = invite_second_self(
        client_for(actor), gemeente_a, granted, email, django_capture_on_commit_callbacks
    )
    second = accept_as_second_self(link, email)
    assert second.get(case_url(melding)).status_code == 404
    assert not Membership.objects.active().filter(user__email=email, role=granted).exists()
