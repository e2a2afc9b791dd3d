"""The webhooks of a client on its /koppelingen/ page: the owner subscribes (the secret
shown once), sees given-up messages and sends one again (audited); another organisation's
people, a guessed id and a forged form get a 404."""

import pytest

from webhooks.constants import DeliveryStatus
from webhooks.delivery import deliver_due
from webhooks.models import Delivery, Subscription
from weerbaar.constants import AuditAction, Role
from weerbaar.models import AuditEvent

from ..factories import make_user
from ..incidents.factories import make_melding
from .helpers import run_until_quiet, subscribe

pytestmark = pytest.mark.django_db


def page(caller):
    return f"/koppelingen/{caller.client.pk}/webhooks/"


def test_owner_subscribes_on_the_page_and_sees_the_secret_once(register, client_for, receiver):
    caller = register()
    owner = client_for(caller.client.requested_by)
    assert (
        f'href="{page(caller)}"' in owner.get(f"/koppelingen/{caller.client.pk}/").content.decode()
    )

    response = owner.post(
        page(caller),
        {"action": "subscribe", "url": receiver.url, "events": ["melding.submitted"]},
    )
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("whsec_") and secret in response.content.decode()
    assert response["Cache-Control"] == "no-store, private"
    subscription = Subscription.objects.get()
    assert (subscription.url, subscription.events) == (receiver.url, ["melding.submitted"])
    assert secret not in owner.get(page(caller)).content.decode()
    line = AuditEvent.objects.for_object(subscription).get()
    assert (line.action, line.detail["step"]) == (AuditAction.CREATE, "webhook.subscribe")


def test_an_inside_address_is_refused_on_the_page_with_a_clear_message(
    register, client_for, settings
):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    caller = register()
    response = client_for(caller.client.requested_by).post(
        page(caller),
        {"action": "subscribe", "url": "https://169.254.169.254/", "events": ["melding.closed"]},
    )
    assert response.status_code == 200
    assert "intern, lokaal of gereserveerd netwerk" in response.content.decode()
    assert not Subscription.objects.exists()


def test_dead_messages_are_shown_to_the_owner_and_sent_again_on_request(
    register, client_for, receiver, raadslid_a, settings
):
    settings.WEBHOOKS_MAX_ATTEMPTS = 2
    caller = register()
    subscribe(caller, receiver.url)
    make_melding(raadslid_a)
    receiver.answer(500, 500)
    run_until_quiet()
    row = Delivery.objects.get()
    assert row.status == DeliveryStatus.DEAD

    owner = client_for(caller.client.requested_by)
    shown = owner.get(page(caller)).content.decode()
    assert row.message_id in shown and "Opnieuw proberen" in shown and "HTTP 500" in shown

    response = owner.post(page(caller), {"action": "retry", "delivery": row.pk})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.attempts) == (DeliveryStatus.PENDING, 0)
    assert deliver_due() == 1
    row.refresh_from_db()
    assert row.status == DeliveryStatus.DELIVERED
    line = AuditEvent.objects.for_object(row.subscription).filter(action=AuditAction.UPDATE).get()
    assert line.detail["step"] == "webhook.retry"
    assert line.detail["message_id"] == row.message_id
    assert line.actor_id == caller.client.requested_by_id


def test_another_organisation_cannot_see_or_touch_the_webhooks(
    register, client_for, receiver, raadslid_a, gemeente_b, settings
):
    settings.WEBHOOKS_MAX_ATTEMPTS = 1
    ours = register()
    subscription, _secret = subscribe(ours, receiver.url)
    make_melding(raadslid_a)
    receiver.answer(500)
    run_until_quiet()
    dead = Delivery.objects.get()

    theirs = register(gemeente_b)
    outsider = client_for(make_user(Role.SECRETARIS, gemeente_b))
    assert outsider.get(page(ours)).status_code == 404
    assert outsider.post(page(ours), {"action": "retry", "delivery": dead.pk}).status_code == 404
    # Their own page with our ids forged into the form: not found either.
    own_page = client_for(theirs.client.requested_by)
    for form in (
        {"action": "retry", "delivery": dead.pk},
        {"action": "remove", "subscription": subscription.pk},
        {"action": "secret", "subscription": subscription.pk},
    ):
        assert own_page.post(page(theirs), form).status_code == 404
    dead.refresh_from_db()
    assert dead.status == DeliveryStatus.DEAD
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    # A reporter of the organisation is not an owner.
    assert client_for(raadslid_a).get(page(ours)).status_code == 404


def test_owner_rotates_the_secret_and_removes_the_webhook(register, client_for, receiver):
    caller = register()
    subscription, old = subscribe(caller, receiver.url)
    owner = client_for(caller.client.requested_by)

    response = owner.post(page(caller), {"action": "secret", "subscription": subscription.pk})
    new = response.context["secret"]
    assert new != old and new in response.content.decode()
    subscription.refresh_from_db()
    assert (subscription.secret, subscription.previous_secret) == (new, old)

    assert (
        owner.post(page(caller), {"action": "remove", "subscription": subscription.pk}).status_code
        == 302
    )
    assert not Subscription.objects.exists()
    steps = [
        line.detail["step"] for line in AuditEvent.objects.for_object(subscription).order_by("pk")
    ]
    assert steps == ["webhook.subscribe", "webhook.secret", "webhook.remove"]
