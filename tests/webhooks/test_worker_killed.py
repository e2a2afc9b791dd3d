"""A delivery worker killed (SIGKILL) while the receiver holds its request: no second
attempt is in flight while its claim holds; after the lease the message is sent again with
the same webhook-id, and the outbox records it delivered exactly once.

What is guaranteed, precisely: at most one attempt per message is in flight at a time (the
claim is committed before sending and only a lease's end frees it); the row ends DELIVERED
once; the receiver may see the same ``webhook-id`` twice — here the dead worker's request
and the retry — which Standard Webhooks receivers drop by id."""

import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from webhooks.constants import DeliveryStatus
from webhooks.delivery import deliver_due
from webhooks.models import Delivery

from ..incidents.factories import make_melding
from ..weerbaar.test_outbox_once import database_env
from .helpers import ids, subscribe

ROOT = Path(__file__).resolve().parents[2]

WORKER = """
import django
django.setup()
from webhooks.delivery import deliver_due
deliver_due()
"""


@pytest.mark.faults
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_delivery_is_delivered_once_after_the_lease(
    register, receiver, raadslid_a, settings
):
    subscribe(register(), receiver.url)
    make_melding(raadslid_a)
    receiver.hold()

    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER],
        cwd=ROOT,
        env=database_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        assert receiver.arrived.wait(60), "the worker's request never reached the receiver"
        worker.send_signal(signal.SIGKILL)
        assert worker.wait(30) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
    receiver.release()

    row = Delivery.objects.get()
    assert (row.status, row.attempts) == (DeliveryStatus.SENDING, 1)

    assert deliver_due() == 0, "the dead worker's claim holds until its lease ends"
    assert len(receiver.requests) == 1

    later = timezone.now() + timedelta(seconds=settings.WEBHOOKS_LEASE + 1)
    assert deliver_due(now=later) == 1
    assert deliver_due(now=later + timedelta(hours=7)) == 0

    row.refresh_from_db()
    assert (row.status, row.attempts) == (DeliveryStatus.DELIVERED, 2)
    assert ids(receiver) == [row.message_id, row.message_id]
    assert Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == 1
