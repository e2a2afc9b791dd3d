"""A client manages its own webhooks over the API with ``webhooks:beheren``: the same
checks as the screen (addresses, events), the secret once, audited as the client; another
client's webhook is a 404 and without the scope it is a 403."""

import pytest

from webhooks.models import Subscription
from weerbaar.constants import AuditAction
from weerbaar.models import AuditEvent

from .helpers import subscribe

pytestmark = pytest.mark.django_db

MANAGE = ("meldingen:lezen", "webhooks:beheren")


def test_client_adds_lists_and_removes_its_own_webhook(register, receiver):
    caller = register(scopes=MANAGE)
    response = caller.http.post(
        "/api/v1/webhooks",
        {"url": receiver.url, "events": ["melding.submitted", "aangifte.status_changed"]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {caller.token}",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["secret"].startswith("whsec_")
    subscription = Subscription.objects.get(pk=body["id"])
    assert subscription.secret == body["secret"]
    assert sorted(subscription.events) == ["aangifte.status_changed", "melding.submitted"]

    listed = caller.get("/api/v1/webhooks").json()
    assert [w["id"] for w in listed] == [subscription.pk]
    assert "secret" not in listed[0]

    deleted = caller.http.delete(
        f"/api/v1/webhooks/{subscription.pk}", HTTP_AUTHORIZATION=f"Bearer {caller.token}"
    )
    assert deleted.status_code == 204
    assert not Subscription.objects.exists()
    lines = AuditEvent.objects.for_object(subscription).order_by("pk")
    assert [(line.action, line.actor_id) for line in lines] == [
        (AuditAction.CREATE, caller.client.account_id),
        (AuditAction.REVOKE, caller.client.account_id),
    ]


def test_inside_address_is_a_problem_naming_the_field(register, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    caller = register(scopes=MANAGE)
    response = caller.http.post(
        "/api/v1/webhooks",
        {"url": "https://169.254.169.254/", "events": ["melding.closed"]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {caller.token}",
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "url" in str(response.json())
    assert not Subscription.objects.exists()


def test_another_clients_webhook_is_not_found(register, receiver, gemeente_b):
    ours, _secret = subscribe(register(), receiver.url)
    theirs = register(gemeente_b, scopes=MANAGE)
    assert theirs.get(f"/api/v1/webhooks/{ours.pk}").status_code == 404
    assert theirs.get("/api/v1/webhooks").json() == []
    gone = theirs.http.delete(
        f"/api/v1/webhooks/{ours.pk}", HTTP_AUTHORIZATION=f"Bearer {theirs.token}"
    )
    assert gone.status_code == 404
    assert Subscription.objects.filter(pk=ours.pk).exists()


def test_without_the_scope_it_is_forbidden(register):
    caller = register(scopes=("meldingen:lezen",))
    assert caller.get("/api/v1/webhooks").status_code == 403
