"""API clients are a sensitive action: the secretaris (or a functioneel beheerder) asks,
a second person approves and sees the secret once, and a revoked client's tokens stop at
once. Each step is audited."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from oauth2_provider.models import AccessToken

from api import services
from api.constants import ClientStatus
from api.models import ApiClient
from weerbaar.constants import AuditAction, Role
from weerbaar.models import AuditEvent

from ..factories import make_user
from .conftest import basic

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretaris_a(gemeente_a):
    return make_user(Role.SECRETARIS, gemeente_a)


@pytest.fixture
def griffier_a(gemeente_a):
    return make_user(Role.GRIFFIER, gemeente_a)


def _ask(secretaris, organisation, **extra):
    return services.request(
        requested_by=secretaris,
        organisation=organisation,
        name="Zaaksysteem",
        role=Role.SECRETARIS,
        scopes=["meldingen:lezen"],
        **extra,
    )


def test_requester_cannot_approve_own_client(secretaris_a, gemeente_a):
    client = _ask(secretaris_a, gemeente_a)
    with pytest.raises(PermissionDenied):
        services.approve(approver=secretaris_a, client=client)
    client.refresh_from_db()
    assert client.status == ClientStatus.PENDING
    assert client.application is None


def test_database_refuses_a_client_decided_by_its_requester(secretaris_a, gemeente_a):
    client = _ask(secretaris_a, gemeente_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiClient.objects.filter(pk=client.pk).update(decided_by=secretaris_a)


def test_only_secretaris_or_beheerder_may_ask(gemeente_a, griffier_a, gemeente_b):
    with pytest.raises(PermissionDenied):
        _ask(griffier_a, gemeente_a)
    secretaris_b = make_user(Role.SECRETARIS, gemeente_b)
    with pytest.raises(PermissionDenied):
        _ask(secretaris_b, gemeente_a)


def test_another_organisations_officer_cannot_approve(secretaris_a, gemeente_a, gemeente_b):
    client = _ask(secretaris_a, gemeente_a)
    with pytest.raises(PermissionDenied):
        services.approve(approver=make_user(Role.GRIFFIER, gemeente_b), client=client)


def test_beheerder_asks_and_a_local_officer_approves(gemeente_a, griffier_a, bzk):
    beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, bzk)
    client = _ask(beheerder, gemeente_a)
    client, secret = services.approve(approver=griffier_a, client=client)
    assert client.status == ClientStatus.ACTIVE
    assert len(secret) >= 40
    # Only the hash is stored.
    client.application.refresh_from_db()
    assert secret not in client.application.client_secret


def test_each_step_is_audited(secretaris_a, griffier_a, gemeente_a):
    client = _ask(secretaris_a, gemeente_a)
    client, _secret = services.approve(approver=griffier_a, client=client)
    services.revoke(actor=secretaris_a, client=client)
    lines = AuditEvent.objects.for_object(client).order_by("pk")
    assert [(line.action, line.detail["step"], line.actor_id) for line in lines] == [
        (AuditAction.CREATE, "request", secretaris_a.pk),
        (AuditAction.GRANT, "approve", griffier_a.pk),
        (AuditAction.REVOKE, "revoke", secretaris_a.pk),
    ]


def test_revoked_client_loses_its_token_at_once(register, melding_a):
    caller = register()
    assert caller.get("/api/v1/meldingen").status_code == 200
    services.revoke(
        actor=make_user(Role.SECRETARIS, caller.client.organisation), client=caller.client
    )
    assert caller.get("/api/v1/meldingen").status_code == 401
    assert not AccessToken.objects.exists()
    response = caller.http.post(
        "/api/v1/oauth/token",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=basic(caller.client_id, caller.secret),
    )
    assert response.status_code == 401


def test_new_secret_ends_the_old_one(register, melding_a):
    caller = register()
    old_token = caller.token
    fresh = services.new_secret(
        actor=make_user(Role.SECRETARIS, caller.client.organisation), client=caller.client
    )
    assert caller.get("/api/v1/meldingen").status_code == 401
    caller.secret = fresh
    caller.token = caller.fetch_token()
    assert caller.token != old_token
    assert caller.get("/api/v1/meldingen").status_code == 200


def test_token_lives_minutes_not_days(register):
    caller = register()
    token = AccessToken.objects.get(application=caller.client.application)
    # Stored hashed (RFC 9700): the bearer value itself is not in the database.
    assert token.token != caller.token
    assert (token.expires - token.created).total_seconds() <= 600


# --- the screen -----------------------------------------------------------------------------


def test_screen_asks_approves_and_shows_the_secret_once(
    client_for, secretaris_a, griffier_a, gemeente_a
):
    asker = client_for(secretaris_a)
    response = asker.post(
        "/koppelingen/",
        {
            "name": "GIR-koppeling",
            "organisation": gemeente_a.pk,
            "role": Role.SECRETARIS,
            "scopes": ["meldingen:lezen", "aangifte:schrijven"],
        },
    )
    client = ApiClient.objects.get(name="GIR-koppeling")
    assert response.status_code == 302
    page = asker.get(f"/koppelingen/{client.pk}/").content.decode()
    assert "wacht op een besluit van een tweede persoon" in page
    assert 'value="approve"' not in page
    # The requester posting an approval anyway is refused.
    assert asker.post(f"/koppelingen/{client.pk}/", {"action": "approve"}).status_code == 403

    approver = client_for(griffier_a)
    response = approver.post(f"/koppelingen/{client.pk}/", {"action": "approve"})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert response["Cache-Control"] == "no-store, private"
    again = approver.get(f"/koppelingen/{client.pk}/").content.decode()
    assert secret not in again
    assert "Actief" in again


def test_screen_of_another_organisations_client_is_404(
    client_for, secretaris_a, gemeente_a, gemeente_b
):
    client = _ask(secretaris_a, gemeente_a)
    outsider = client_for(make_user(Role.SECRETARIS, gemeente_b))
    assert outsider.get(f"/koppelingen/{client.pk}/").status_code == 404
    assert outsider.post(f"/koppelingen/{client.pk}/", {"action": "approve"}).status_code == 404


def test_screen_is_not_for_reporters(client_for, raadslid_a):
    assert client_for(raadslid_a).get("/koppelingen/").status_code == 403


def test_approvers_are_told_and_the_requester_is_not(secretaris_a, griffier_a, gemeente_a):
    from weerbaar.models import Notification

    client = _ask(secretaris_a, gemeente_a)
    told = Notification.objects.filter(kind="api.client_request")
    assert set(told.values_list("recipient_id", flat=True)) == {griffier_a.pk}
    assert f"/koppelingen/{client.pk}/" in told.get().link


def test_screen_is_offered_to_the_secretaris(client_for, secretaris_a):
    assert 'href="/koppelingen/"' in client_for(secretaris_a).get("/").content.decode()
