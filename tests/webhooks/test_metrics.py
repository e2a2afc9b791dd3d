"""The webhook backlog on /metrics: by state, no ids or URLs in any label."""

from datetime import timedelta

import pytest
from django.utils import timezone

from webhooks.delivery import deliver_due

from ..incidents.factories import make_melding
from ..weerbaar.test_metrics import scrape, value
from .helpers import subscribe

pytestmark = pytest.mark.django_db


def test_backlog_gauge_counts_pending_and_dead_messages(register, receiver, raadslid_a, settings):
    settings.WEBHOOKS_MAX_ATTEMPTS = 1
    subscription, _secret = subscribe(register(), receiver.url)
    make_melding(raadslid_a)
    make_melding(raadslid_a)

    text = scrape()
    assert value(text, "weerbaar_webhook_backlog", state="pending") == 2
    assert value(text, "weerbaar_webhook_backlog", state="dead") == 0
    assert value(text, "weerbaar_webhook_oldest_due_seconds") >= 0

    receiver.answer(500)
    deliver_due(now=timezone.now() + timedelta(seconds=5))
    text = scrape()
    assert value(text, "weerbaar_webhook_backlog", state="pending") == 0
    assert value(text, "weerbaar_webhook_backlog", state="dead") == 1
    assert receiver.url not in text and subscription.secret not in text
