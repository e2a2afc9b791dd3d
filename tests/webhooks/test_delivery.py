"""Webhooks reach a real receiver on loopback: signed per Standard Webhooks, ids only,
retried with back-off, in order per object, given up after N attempts, and only for a
client that could see the object."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from incidents import services as incidents
from incidents.constants import Status
from webhooks.constants import DeliveryStatus
from webhooks.delivery import backoff, deliver_due
from webhooks.models import Delivery
from webhooks.signing import sign

from ..incidents.factories import make_melding
from .conftest import verify
from .helpers import bodies, ids, subscribe

pytestmark = pytest.mark.django_db


def test_signer_reproduces_the_standard_webhooks_test_vector():
    """The vector published with the Standard Webhooks reference libraries: a receiver's
    off-the-shelf library accepts what the portal signs."""
    assert (
        sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            message_id="msg_p5jXN8AQM9LWM0D4loKWxJek",
            timestamp=1614265330,
            body=b'{"test": 2432232314}',
        )
        == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


def test_submitted_melding_reaches_the_receiver_signed_with_ids_only(
    register, receiver, raadslid_a
):
    caller = register()
    _subscription, secret = subscribe(caller, receiver.url)
    melding = make_melding(
        raadslid_a, description="Hij stond bij mijn huis aan de Kerkstraat.", witnesses="Buurman"
    )

    assert deliver_due() == 1

    [(path, headers, body)] = receiver.requests
    assert path == "/hook"
    assert headers["content-type"] == "application/json"
    assert verify(secret, headers, body, tolerance=300, now=timezone.now().timestamp())
    assert not verify("whsec_" + "A" * 44, headers, body)
    assert not verify(secret, headers, body.replace(b"submitted", b"closed"))
    payload = json.loads(body)
    assert payload["type"] == "melding.submitted"
    assert payload["data"] == {"object": "melding", "id": melding.pk}
    assert set(payload) == {"type", "timestamp", "data"}
    # No free text, no person: not the description, the witness, the reporter or a place.
    for text in ("Kerkstraat", "Buurman", raadslid_a.email, raadslid_a.get_full_name()):
        assert text not in body.decode()
    row = Delivery.objects.get()
    assert (row.status, row.attempts, row.last_status) == (DeliveryStatus.DELIVERED, 1, 200)
    assert headers["webhook-id"] == row.message_id


def test_receiver_errors_are_retried_with_exponential_back_off_and_the_same_id(
    register, receiver, raadslid_a, settings
):
    caller = register()
    subscribe(caller, receiver.url)
    make_melding(raadslid_a)
    receiver.answer(500, 503)
    now = timezone.now()

    assert deliver_due(now=now) == 0
    row = Delivery.objects.get()
    assert (row.status, row.attempts, row.last_status) == (DeliveryStatus.PENDING, 1, 500)
    assert row.next_attempt_at == now + timedelta(seconds=settings.WEBHOOKS_FIRST_RETRY)

    assert deliver_due(now=now + timedelta(seconds=settings.WEBHOOKS_FIRST_RETRY - 1)) == 0
    assert len(receiver.requests) == 1, "nothing is sent before the back-off has passed"

    second = row.next_attempt_at
    assert deliver_due(now=second) == 0
    row.refresh_from_db()
    assert row.next_attempt_at == second + 2 * timedelta(seconds=settings.WEBHOOKS_FIRST_RETRY)
    assert deliver_due(now=row.next_attempt_at) == 1

    assert len(receiver.requests) == 3
    assert len(set(ids(receiver))) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (DeliveryStatus.DELIVERED, 3)
    assert backoff(1) < backoff(2) < backoff(3) <= backoff(40) == timedelta(hours=6)


def test_events_of_one_melding_arrive_in_order_while_other_meldingen_go_on(
    register, receiver, raadslid_a, griffier_a, settings
):
    caller = register()
    subscribe(caller, receiver.url)
    first = make_melding(raadslid_a)
    incidents.transition(first, Status.IN_TRIAGE, actor=griffier_a)
    other = make_melding(raadslid_a)
    receiver.answer(500)  # the first message of ``first`` fails once
    now = timezone.now()

    deliver_due(now=now)
    assert [(b["type"], b["data"]["id"]) for b in bodies(receiver)] == [
        ("melding.submitted", first.pk),
        ("melding.submitted", other.pk),
    ], "the acknowledgement of the first melding waits for its submission"

    later = now + timedelta(seconds=settings.WEBHOOKS_FIRST_RETRY)
    deliver_due(now=later)
    deliver_due(now=later)
    assert [(b["type"], b["data"]["id"]) for b in bodies(receiver)][2:] == [
        ("melding.submitted", first.pk),
        ("melding.acknowledged", first.pk),
    ]
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.DELIVERED}


def test_after_n_failures_a_message_is_dead_and_no_longer_holds_up_the_next(
    register, receiver, raadslid_a, griffier_a, settings
):
    settings.WEBHOOKS_MAX_ATTEMPTS = 3
    caller = register()
    subscribe(caller, receiver.url)
    melding = make_melding(raadslid_a)
    incidents.transition(melding, Status.IN_TRIAGE, actor=griffier_a)
    receiver.answer(500, 500, 500)
    now = timezone.now()
    for attempt in range(1, 4):
        deliver_due(now=now)
        now += backoff(attempt)

    submitted, acknowledged = Delivery.objects.order_by("pk")
    assert (submitted.status, submitted.attempts) == (DeliveryStatus.DEAD, 3)
    assert submitted.dead_at is not None and submitted.last_error == "HTTP 500"
    assert acknowledged.status == DeliveryStatus.DELIVERED
    assert [b["type"] for b in bodies(receiver)] == ["melding.submitted"] * 3 + [
        "melding.acknowledged"
    ]


def test_a_foreign_organisations_subscription_never_gets_the_event(
    register, receiver, raadslid_a, raadslid_b, gemeente_b
):
    ours = register()
    foreign = register(gemeente_b)
    mine, _secret = subscribe(ours, receiver.url)
    theirs, _secret = subscribe(foreign, receiver.url + "/b")

    a = make_melding(raadslid_a)
    b = make_melding(raadslid_b)
    deliver_due()

    assert list(mine.deliveries.values_list("object_key", flat=True)) == [f"melding:{a.pk}"]
    assert list(theirs.deliveries.values_list("object_key", flat=True)) == [f"melding:{b.pk}"]
    received = {(path, json.loads(body)["data"]["id"]) for path, _h, body in receiver.requests}
    assert received == {("/hook", a.pk), ("/hook/b", b.pk)}


def test_a_client_without_the_read_scope_gets_no_melding_events(register, receiver, raadslid_a):
    caller = register(scopes=("aangifte:schrijven",))
    subscribe(caller, receiver.url)
    make_melding(raadslid_a)
    assert not Delivery.objects.exists()


def test_a_revoked_client_sends_nothing_more(register, receiver, raadslid_a):
    from api import services as api_services

    caller = register()
    subscribe(caller, receiver.url)
    make_melding(raadslid_a)
    api_services.revoke(actor=caller.client.requested_by, client=caller.client)
    assert deliver_due() == 0
    assert receiver.requests == []


def test_a_rotated_secret_signs_beside_the_old_one_during_the_overlap(
    register, receiver, raadslid_a, settings
):
    from webhooks import services

    caller = register()
    subscription, old = subscribe(caller, receiver.url)
    new = services.rotate_secret(actor=caller.client.requested_by, subscription=subscription)
    make_melding(raadslid_a)
    make_melding(raadslid_a)
    now = timezone.now()
    deliver_due(now=now, limit=1)
    deliver_due(now=now + timedelta(hours=settings.WEBHOOKS_SECRET_OVERLAP_HOURS, seconds=1))

    (_p, during, body1), (_p2, after, body2) = receiver.requests
    assert len(during["webhook-signature"].split(" ")) == 2
    assert verify(new, during, body1) and verify(old, during, body1)
    assert verify(new, after, body2) and not verify(old, after, body2)
