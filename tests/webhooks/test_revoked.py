"""A revoked client's webhooks tell its receiver nothing more: the messages not yet
delivered are cancelled at the revocation (audited, shown to the owner as cancelled), and
the delivery sweep never sends for a revoked client, even a row that reached the outbox
after the revocation or one a worker had already claimed."""

import pytest
from django.utils import timezone

from api import services as api_services
from webhooks import delivery, services
from webhooks.constants import DeliveryStatus
from webhooks.delivery import deliver_due
from webhooks.events import _row
from webhooks.models import Delivery
from weerbaar.constants import AuditAction
from weerbaar.models import AuditEvent

from ..incidents.factories import make_melding
from .helpers import run_until_quiet, subscribe

pytestmark = pytest.mark.django_db


def _revoke(caller):
    return api_services.revoke(actor=caller.client.requested_by, client=caller.client)


def test_revoking_cancels_the_undelivered_messages_audited_and_sends_none(
    register, receiver, raadslid_a
):
    caller = register()
    subscription, _secret = subscribe(caller, receiver.url)
    make_melding(raadslid_a)
    make_melding(raadslid_a)
    assert subscription.deliveries.filter(status=DeliveryStatus.PENDING).count() == 2

    _revoke(caller)

    rows = list(subscription.deliveries.all())
    assert {r.status for r in rows} == {DeliveryStatus.CANCELLED}
    assert all(r.cancelled_at is not None for r in rows)
    line = AuditEvent.objects.for_object(subscription).get(detail__step="webhook.cancel")
    assert line.action == AuditAction.UPDATE
    assert line.detail["cancelled"] == 2
    assert line.actor == caller.client.requested_by
    run_until_quiet()
    assert receiver.requests == []
    # Nothing is left waiting in the outbox for a client that will never be active again.
    assert not Delivery.objects.undone().exists()


def test_the_owner_sees_the_cancelled_messages_and_cannot_send_them(
    register, receiver, raadslid_a, client_for
):
    caller = register()
    subscription, _secret = subscribe(caller, receiver.url)
    make_melding(raadslid_a)
    row = subscription.deliveries.get()
    _revoke(caller)

    html = client_for(caller.client.requested_by).get(f"/koppelingen/{caller.client.pk}/webhooks/")
    assert html.status_code == 200
    content = html.content.decode()
    assert 'data-testid="cancelled-deliveries"' in content
    assert row.message_id in content
    assert 'value="retry"' not in content


def test_a_row_that_reached_the_outbox_after_the_revocation_is_cancelled_not_sent(
    register, receiver, raadslid_a
):
    """An event emitted in a transaction that began before the revocation commits after it:
    its row is there, for a revoked client. The sweep cancels it (the system's audit line)
    instead of sending it or leaving it pending for ever."""
    caller = register()
    subscription, _secret = subscribe(caller, receiver.url)
    melding = make_melding(raadslid_a)
    subscription.deliveries.all().delete()
    _revoke(caller)
    slipped = _row(subscription, "melding.closed", "melding", melding.pk, timezone.now())
    slipped.save()

    assert deliver_due() == 0

    slipped.refresh_from_db()
    assert slipped.status == DeliveryStatus.CANCELLED
    assert receiver.requests == []
    line = AuditEvent.objects.for_object(subscription).get(detail__step="webhook.cancel")
    assert line.actor is None and line.detail["cancelled"] == 1


def test_a_message_claimed_before_the_revocation_is_not_posted_after_it(
    register, receiver, raadslid_a
):
    """A worker claimed the row (committed: SENDING) and the owner revokes the client
    before the worker posts: the revocation cancels the claimed row, and the worker's check
    just before posting finds it cancelled and sends nothing."""
    caller = register()
    subscription, _secret = subscribe(caller, receiver.url)
    make_melding(raadslid_a)
    pk = subscription.deliveries.get().pk
    now = timezone.now()
    claimed = delivery._claim(pk, now)
    assert claimed.status == DeliveryStatus.SENDING

    _revoke(caller)

    assert not delivery._still_sendable(claimed)
    assert Delivery.objects.get(pk=pk).status == DeliveryStatus.CANCELLED
    run_until_quiet(now)
    assert receiver.requests == []


def test_a_given_up_message_of_a_revoked_client_cannot_be_sent_again(
    register, receiver, raadslid_a
):
    from django.core.exceptions import ValidationError

    caller = register()
    subscription, _secret = subscribe(caller, receiver.url)
    make_melding(raadslid_a)
    Delivery.objects.update(status=DeliveryStatus.DEAD, dead_at=timezone.now())
    _revoke(caller)
    with pytest.raises(ValidationError):
        services.retry(actor=caller.client.requested_by, delivery=subscription.deliveries.get())
    assert subscription.deliveries.get().status == DeliveryStatus.DEAD
    run_until_quiet()
    assert receiver.requests == []
