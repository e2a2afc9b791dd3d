"""``make run`` (SQLite, the file-system broker, runserver, a Celery worker and beat, as
scripts/run.sh starts them) under 20 people at once for a minute: raadsleden file meldingen
with a photo, griffiers triage them. No request fails, no log says "database is locked",
every accepted melding is in the database as its triager left it, and every notification
is emailed exactly once by the worker.

The figures (requests, meldingen, triage actions, errors, p50/p95) are printed; run with
``-s`` to see them: ``make test PYTEST_ARGS="tests/embedded -s"``."""

import json
import threading
import time
from collections import Counter

import pytest

from .drive import Load
from .outcome import emails_sent, meldingen, notifications, pending_notifications
from .portal import EmbeddedPortal, publish_every

pytestmark = pytest.mark.faults

TRIAGERS, REPORTERS, ACCOUNTS_EACH = 7, 13, 4
LOAD_SECONDS = 60
DELIVERY_SECONDS = 40
LOCK_ERRORS = ("database is locked", "database table is locked", "OperationalError")


@pytest.fixture
def portal(tmp_path):
    portal = EmbeddedPortal(tmp_path / "var")
    portal.plan = portal.prepare(
        triagers=TRIAGERS, reporters=REPORTERS, accounts_each=ACCOUNTS_EACH
    )
    portal.start()
    yield portal
    portal.stop()


def _deliver_everything(portal, deadline):
    """The worker empties the outbox: the test asks it every 2 s (as beat does every 30 s)."""
    stop = threading.Event()
    publish_every(portal, "weerbaar.tasks.deliver_notifications", 2, stop)
    try:
        while time.monotonic() < deadline and pending_notifications(portal.var_dir):
            time.sleep(1)
    finally:
        stop.set()


def test_twenty_people_at_once_on_the_embedded_default(portal):
    load = Load(portal.url, portal.plan)
    delivering = threading.Event()
    # The outbox is swept while people file and triage, as it would be on a busy day.
    publish_every(portal, "weerbaar.tasks.deliver_notifications", 3, delivering)
    try:
        load.run(LOAD_SECONDS)
    finally:
        delivering.set()
    _deliver_everything(portal, time.monotonic() + DELIVERY_SECONDS)
    figures = load.figures()
    print("\nconcurrent use of make run:", json.dumps(figures))
    portal.stop()

    assert load.problems == [], load.problems[:20]
    # What make run printed: the accounts once, after the services' start-up lines, and
    # no email (they are files in var/mail/).
    printed = portal.output.read_text()
    assert printed.count("Demo-accounts (wachtwoord") == 1
    assert printed.index("Demo-accounts") > printed.index("Starting development server")
    assert "Subject:" not in printed
    logs = portal.logs()
    for text in LOCK_ERRORS:
        assert text not in logs, text
    assert "Traceback" not in logs
    assert figures["meldingen_filed"] >= 100, figures
    assert figures["triage_actions"] >= 100, figures

    stored = meldingen(portal.var_dir)
    filed = [pk for pks in load.filed.values() for pk in pks]
    assert len(set(filed)) == len(filed)
    missing = [pk for pk in filed if pk not in stored]
    assert missing == []
    assert all(stored[pk][0] != "draft" and stored[pk][2] == 1 for pk in filed)
    for pk in load.triaged:
        status, severity, _attachments, notes = stored[pk]
        # The note and the closing reason.
        assert (status, severity, notes) == ("closed", "medium", 2), pk

    queued = notifications(portal.var_dir, portal.url)
    assert {status for status, *_ in queued} == {"sent"}, queued
    expected = Counter()
    for (_status, *key), n in queued.items():
        expected[tuple(key)] += n
    assert sum(expected.values()) > figures["meldingen_filed"]
    # Each one emailed, none twice (an email is told apart by recipient, subject and link).
    assert emails_sent(portal.var_dir, portal.url) == expected
