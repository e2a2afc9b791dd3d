"""No server-side request forgery: with the production setting, a webhook cannot point
inside (private, loopback, link-local, a name that resolves there), neither when it is
subscribed nor when it is delivered; the connection goes to the address that was checked;
redirects are not followed."""

import socket

import pytest
from django.core.exceptions import ValidationError

from webhooks import targets
from webhooks.constants import DeliveryStatus
from webhooks.delivery import deliver_due
from webhooks.models import Delivery, Subscription

from ..incidents.factories import make_melding
from .helpers import subscribe

pytestmark = pytest.mark.django_db

INSIDE = [
    "https://10.1.2.3/hook",
    "https://127.0.0.1/hook",
    "https://127.8.9.10:8443/hook",
    "https://169.254.169.254/latest/meta-data/",
    "https://[::1]/hook",
    "https://[fe80::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://192.168.1.1/hook",
    "https://100.64.0.1/hook",
    "https://localhost/hook",  # a name that resolves to loopback
    "https://0.0.0.0/hook",
]


@pytest.fixture
def production(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False


@pytest.mark.parametrize("url", INSIDE)
def test_an_inside_target_is_refused_at_subscription(register, production, url):
    caller = register()
    with pytest.raises(ValidationError) as refused:
        subscribe(caller, url)
    assert "https://" not in refused.value.messages[0]
    assert not Subscription.objects.exists()


def test_http_is_refused_in_production(register, production, monkeypatch):
    public = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 80))]
    monkeypatch.setattr(targets.socket, "getaddrinfo", lambda *a, **k: public)
    with pytest.raises(ValidationError, match="https://"):
        subscribe(register(), "http://hooks.gemeente.example/hook")


def test_a_name_with_one_inside_address_among_public_ones_is_refused(production, monkeypatch):
    mixed = [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 443)),
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", 443)),
    ]
    monkeypatch.setattr(targets.socket, "getaddrinfo", lambda *a, **k: mixed)
    with pytest.raises(targets.Refused):
        targets.check_url("https://hooks.gemeente.example/hook")


def test_a_name_that_turns_inside_after_subscribing_is_refused_at_delivery(
    register, receiver, raadslid_a, settings, monkeypatch
):
    """DNS rebinding: public when subscribed, loopback when delivered. The check at delivery
    refuses it; the receiver on loopback never hears of it."""
    answers = {"now": "93.184.215.14"}

    def resolver(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers["now"], port))]

    monkeypatch.setattr(targets.socket, "getaddrinfo", resolver)
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    port = receiver.server.server_port
    subscribe(register(), f"https://hooks.gemeente.example:{port}/hook")
    make_melding(raadslid_a)
    answers["now"] = "127.0.0.1"

    assert deliver_due() == 0
    assert receiver.requests == []
    row = Delivery.objects.get()
    assert row.status == DeliveryStatus.PENDING
    assert row.last_error.startswith("refused:")


def test_the_connection_goes_to_the_checked_address_not_a_second_lookup(
    register, receiver, raadslid_a, monkeypatch
):
    """The name exists only in the check's lookup (no real DNS knows it): the request still
    arrives, so the transport connected to the checked address and sent the name as Host."""
    lookups = []

    def resolver(host, port, *args, **kwargs):
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(targets.socket, "getaddrinfo", resolver)
    port = receiver.server.server_port
    subscribe(register(), f"http://hooks.gemeente.invalid:{port}/hook")
    make_melding(raadslid_a)
    lookups.clear()

    assert deliver_due() == 1
    [(_path, headers, _body)] = receiver.requests
    assert headers["host"] == f"hooks.gemeente.invalid:{port}"
    # One lookup of the name (the check); the connection only parses the numeric address.
    assert lookups == ["hooks.gemeente.invalid", "127.0.0.1"]


def test_a_redirect_is_not_followed(register, receiver, raadslid_a):
    subscribe(register(), receiver.url)
    make_melding(raadslid_a)
    receiver.answer(302)
    assert deliver_due() == 0
    assert len(receiver.requests) == 1
    row = Delivery.objects.get()
    assert (row.status, row.last_status) == (DeliveryStatus.PENDING, 302)
