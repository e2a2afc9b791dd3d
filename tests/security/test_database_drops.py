"""The database drops connections while people file meldingen: gunicorn (2 workers,
production settings) on the test PostgreSQL; reporters file from several threads while
another thread terminates the web workers' backends (``pg_terminate_backend``, only those of
this test database, recognised by their application_name) a few times.

No bare 500: every failure is the Dutch "probeer het opnieuw" page with 503 and
``Retry-After``, carrying what was typed. A reporter who gets it sends the same form again (its
button does exactly that). No melding is lost (every filing answered with success is in the
database) and none is filed twice (the form's key, ``Melding.submission_key``)."""

import random
import re
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from incidents.models import Melding
from tests.incidents.helpers import form_data
from weerbaar.constants import Position, Role

from .loadgen import CSRF_INPUT, Browser, Gunicorn
from .test_load import database_url, login, production_password

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

APP_NAME = "weerbaar-faults-web"
REPORTERS = 6
FILINGS_PER_REPORTER = 8  # well under the 20 an hour a reporter may file
KILLS = 8
MAX_TRIES = 30
CASE_URL = re.compile(r"^/meldingen/(\d+)/verstuurd/$")  # the page after sending
KEY_INPUT = re.compile(r'name="submission_key" value="([^"]*)"')


@pytest.fixture
def server(organisations, tmp_path):
    log = (tmp_path / "gunicorn.log").open("wb")
    web = Gunicorn(
        f"{database_url()}?application_name={APP_NAME}",
        settings.CACHES["default"]["LOCATION"],
        workers=2,
        output=log,
        env={"LOG_LEVEL": "INFO"},
    )
    web.start()
    yield web
    web.stop()
    log.close()
    # Shown when the test fails: which worker stalled or was restarted, and why.
    print((tmp_path / "gunicorn.log").read_text(errors="replace")[-20000:])


class Outcome:
    def __init__(self):
        self.lock = threading.Lock()
        self.filed_keys = []  # keys answered with a case page
        self.unavailable = 0  # 503 pages seen
        self.no_answer = 0  # requests the client gave up waiting for, then sent again
        self.wrong = []  # anything else that is not a success

    def bad(self, what):
        with self.lock:
            self.wrong.append(what)


def check_unavailable(status, headers, body, outcome, *, typed=None):
    """A 503 must be the Dutch page with Retry-After (and the typed text, for a form)."""
    with outcome.lock:
        outcome.unavailable += 1
    if not headers.get("retry-after", "").isdigit() or "Probeer het opnieuw" not in body:
        outcome.bad(("503 without Retry-After or the Dutch page", headers, body[:200]))
    if typed and typed not in body:
        outcome.bad(("503 page lost what was typed", body[:200]))


def request(browser, method, path, data, outcome, *, typed=None):
    """Until the answer is not a 503 (the reporter presses "Opnieuw versturen"). A request
    that gets no answer at all within the client's 60 s (a worker stalled on a loaded
    machine) is sent again as it was, as the person would: the form's key must still file it
    once. Those are counted and shown, with gunicorn's log, not hidden."""
    for _ in range(MAX_TRIES):
        try:
            status, location, body = browser.request(method, path, data, label=method)
        except TimeoutError:
            with outcome.lock:
                outcome.no_answer += 1
            continue
        headers = {k.lower(): v for k, v in browser.last_headers}
        if status != 503:
            return status, location, body
        check_unavailable(status, headers, body, outcome, typed=typed)
        time.sleep(0.05)
    outcome.bad(("still 503 after retries", method, path))
    return 503, "", ""


def file_one(browser, n, outcome):
    status, _, html = request(browser, "GET", "/meldingen/nieuw/", None, outcome)
    if status != 200:
        outcome.bad(("form", status))
        return
    token = CSRF_INPUT.search(html)
    key = KEY_INPUT.search(html)
    description = f"Bedreiging nummer {n} {random.random()}"
    data = form_data(
        occurred_at=(timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        description=description,
        csrfmiddlewaretoken=token.group(1) if token else "",
        submission_key=key.group(1) if key else "",
    )
    status, location, _ = request(
        browser, "POST", "/meldingen/nieuw/", data, outcome, typed=description
    )
    if status == 302 and CASE_URL.match(location):
        with outcome.lock:
            outcome.filed_keys.append(data["submission_key"])
        request(browser, "GET", location, None, outcome)
    else:
        outcome.bad(("filing", status, location))


def test_dropped_database_connections_give_503_and_lose_or_double_nothing(
    server, gemeente_a, user_factory
):
    reporters = [
        user_factory(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID) for _ in range(REPORTERS)
    ]
    user_factory(Role.GRIFFIER, gemeente_a)
    for user in reporters:
        production_password(user)
    browsers = [Browser(server.port) for _ in reporters]
    for browser, user in zip(browsers, reporters, strict=True):
        login(browser, user)

    outcome = Outcome()
    killed = []
    filing_done = threading.Event()

    def reporter(browser, offset):
        try:
            for n in range(FILINGS_PER_REPORTER):
                file_one(browser, offset + n, outcome)
        except Exception as exc:  # a connection error is a failure the test must count
            outcome.bad(("exception", repr(exc)))

    def killer():
        try:
            with connection.cursor() as cursor:
                for _ in range(KILLS):
                    time.sleep(random.uniform(0.2, 0.6))
                    if filing_done.is_set():
                        break
                    cursor.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND application_name = %s",
                        [APP_NAME],
                    )
                    killed.append(sum(1 for (ok,) in cursor.fetchall() if ok))
        finally:
            connection.close()

    threads = [threading.Thread(target=reporter, args=(b, i * 100)) for i, b in enumerate(browsers)]
    kill_thread = threading.Thread(target=killer)
    started = time.monotonic()
    for t in threads:
        t.start()
    kill_thread.start()
    for t in threads:
        t.join(timeout=300)
    filing_done.set()
    kill_thread.join(timeout=30)
    elapsed = time.monotonic() - started

    statuses = Counter(t[2] for b in browsers for t in b.timings)
    print(
        f"\nDROPS responses {dict(statuses)}; 503 pages {outcome.unavailable}; "
        f"sent again after no answer {outcome.no_answer}"
    )
    assert statuses[500] == 0, "a bare 500"
    stored = list(
        Melding.objects.filter(reporter__in=reporters).values_list("submission_key", flat=True)
    )
    print(
        f"DROPS {len(killed)} rounds of pg_terminate_backend ({sum(killed)} backends) in "
        f"{elapsed:.1f}s; filed {len(outcome.filed_keys)}, stored {len(stored)}"
    )
    assert sum(killed) >= 1, "the test must actually drop connections"
    assert not outcome.wrong, outcome.wrong[:3]
    assert len(outcome.filed_keys) == REPORTERS * FILINGS_PER_REPORTER
    # Nothing lost, nothing doubled: exactly one melding per form that was answered.
    assert Counter(str(k) for k in stored) == Counter(outcome.filed_keys)
