"""The triager's case page reads a fixed number of queries whatever the case's history
(timeline, messages, notes, steps) and whatever waits in the triager's inbox; the load
data's busiest case has the longest history, and a griffier of a large gemeente the most
unread notifications (docs/performance.md, scale 1 against scale 10)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents import services
from incidents.constants import Status, Step
from weerbaar.models import Notification

from .factories import make_melding
from .helpers import case_url


def _queries(client, url):
    """The queries of opening ``url``, after a first request that does what depends on the
    clock rather than the page (the session's last-seen mark, written at most every 15 s)."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def _unread_elsewhere(user, n):
    """``n`` unread notifications of ``user`` about other things (reminders of other cases)."""
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind="incidents.reminder.idle",
            subject="Herinnering",
            body="Een melding wacht.",
            link=f"/meldingen/{900000 + i}/",
            next_attempt_at=timezone.now(),
        )
        for i in range(n)
    )


def test_case_page_queries_do_not_depend_on_the_history_size(client_for, raadslid_a, griffier_a):
    # A case just taken on: a short timeline, no messages, no notes.
    melding = make_melding(raadslid_a)
    services.transition(melding, Status.IN_TRIAGE, actor=griffier_a)
    services.check_step(melding, Step.ACKNOWLEDGE, actor=griffier_a)
    _unread_elsewhere(griffier_a, 1)
    client = client_for(griffier_a)
    url = case_url(melding)
    short = _queries(client, url)

    for i in range(30):
        services.post_message(melding, f"Bericht {i}", actor=raadslid_a)
        services.post_message(melding, f"Antwoord {i}", actor=griffier_a)
        services.note(melding, f"Notitie {i}", actor=griffier_a)
    for step in Step:
        services.check_step(melding, step, actor=griffier_a)
    services.transition(melding, Status.IN_FOLLOW_UP, actor=griffier_a)
    _unread_elsewhere(griffier_a, 200)
    long = _queries(client, url)

    assert melding.timeline.count() > 60
    assert len(long) == len(short), "\n\n".join(long)
    # All of it shown, in order, with who wrote it.
    page = client.get(url).content.decode()
    assert page.index("Bericht 0") < page.index("Antwoord 0") < page.index("Bericht 29")
    assert page.index("Notitie 0") < page.index("Notitie 29")
    assert f"{griffier_a.full_name} ·" in page and f"{raadslid_a.full_name} ·" in page
    assert "In opvolging" in page


def test_opening_a_case_writes_to_the_inbox_only_when_a_new_message_waits(
    client_for, raadslid_a, griffier_a
):
    """The "Nieuw bericht" notices of a case are read by opening it: once, on the visit
    after the message; the visits after that, and those of a case without messages, do
    not touch the triager's unread notifications (there may be thousands)."""
    quiet = make_melding(raadslid_a)
    services.transition(quiet, Status.IN_TRIAGE, actor=griffier_a)
    talked = make_melding(raadslid_a)
    services.transition(talked, Status.IN_TRIAGE, actor=griffier_a)
    _unread_elsewhere(griffier_a, 3)
    unread = Notification.objects.filter(recipient=griffier_a, read_at__isnull=True).count()
    client = client_for(griffier_a)
    client.get(case_url(talked))
    services.post_message(talked, "Kunt u mij bellen?", actor=raadslid_a)
    notice = Notification.objects.get(recipient=griffier_a, kind="incidents.message")

    def updates(melding):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(case_url(melding)).status_code == 200
        return [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]

    assert [sql for sql in updates(talked) if "weerbaar_notification" in sql]
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert updates(talked) == []
    assert updates(quiet) == []
    assert Notification.objects.filter(recipient=griffier_a, read_at__isnull=True).count() == unread
