"""Load on loopback: gunicorn (2 workers, production settings) on the test PostgreSQL; ten
reporters file meldingen and browse their pages while two griffiers work the triage
dashboard, for a bounded time. Zero errors and zero lost reports: the database holds exactly
as many meldingen as were answered with success. Then the database drops every connection of
the web workers (``pg_terminate_backend``) and the next requests still succeed
(CONN_HEALTH_CHECKS). Figures are printed (``-s``) for SECURITY.md."""

import re
import threading
import time
from datetime import timedelta

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils import timezone

from incidents.models import Melding
from tests.factories import PASSWORD
from tests.incidents.helpers import form_data
from weerbaar.constants import Position, Role

from .loadgen import Browser, Gunicorn, percentile

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

DURATION = 15.0
REPORTERS = 10
TRIAGERS = 2
CASE_URL = re.compile(r"^/meldingen/(\d+)/verstuurd/$")  # the page after sending
# What one reporter may file in an hour ("20/h/user"): a fast server lets a reporter reach it
# within the run, and a refusal past it is the rate limit working, not a lost report.
FILINGS_PER_REPORTER = int(settings.ACCOUNT_RATE_LIMITS["melding_submit"].split("/")[0])


def production_password(user):
    """Production settings know no MD5 (the fast test hasher): store a PBKDF2 hash."""
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "loadtestsalt", iterations=50_000)
    user.save(update_fields=["password"])


def database_url():
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def login(browser, user, secret=None):
    status, location, _ = browser.post_form(
        "/accounts/login/", {"login": user.email, "password": PASSWORD}, label="login"
    )
    assert status == 302, (status, location)
    if secret:
        assert location.startswith("/accounts/2fa/authenticate/")
        status, location, _ = browser.post_form(
            "/accounts/2fa/authenticate/", {"code": pyotp.TOTP(secret).now()}, label="mfa"
        )
        assert status == 302, (status, location)
    status, _, _ = browser.get("/")
    assert status == 200


def reporter_loop(browser, stop_at, outcome):
    filed = 0
    while time.monotonic() < stop_at:
        browser.get("/", label="home")
        browser.get("/meldingen/", label="own list")
        if filed >= FILINGS_PER_REPORTER:
            continue
        data = form_data(
            occurred_at=(timezone.localtime() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
        )
        status, location, _ = browser.post_form("/meldingen/nieuw/", data, label="file")
        if status == 302 and CASE_URL.match(location):
            filed += 1
            outcome["filed"] += 1
            browser.get(location, label="case")
        else:
            outcome["failed_filings"].append((status, location))


def triager_loop(browser, stop_at):
    while time.monotonic() < stop_at:
        browser.get("/meldingen/triage/", label="dashboard")
        browser.get("/meldingen/triage/?status=submitted&ernst=high", label="dashboard filtered")
        browser.get("/meldingen/triage/export.csv", label="export")


@pytest.fixture
def server(organisations):
    web = Gunicorn(database_url(), settings.CACHES["default"]["LOCATION"], workers=2)
    web.start()
    yield web
    web.stop()


def test_load_filing_and_dashboards_without_errors_or_lost_reports(
    server, gemeente_a, user_factory
):
    reporters = [
        user_factory(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID) for _ in range(REPORTERS)
    ]
    triagers = [user_factory(Role.GRIFFIER, gemeente_a) for _ in range(TRIAGERS)]
    secrets = [pyotp.random_base32() for _ in triagers]
    for user, secret in zip(triagers, secrets, strict=True):
        TOTP.activate(user, secret)
    for user in reporters + triagers:
        production_password(user)
    browsers = {u.pk: Browser(server.port) for u in reporters + triagers}
    for user in reporters:
        login(browsers[user.pk], user)
    for user, secret in zip(triagers, secrets, strict=True):
        login(browsers[user.pk], user, secret)
    for b in browsers.values():
        b.timings.clear()

    outcome = {"filed": 0, "failed_filings": []}
    lock = threading.Lock()
    stop_at = time.monotonic() + DURATION
    errors = []

    def run(target, *args):
        try:
            target(*args)
        except Exception as exc:  # the figure must count it, not lose it
            with lock:
                errors.append(repr(exc))

    threads = [
        threading.Thread(target=run, args=(reporter_loop, browsers[u.pk], stop_at, outcome))
        for u in reporters
    ] + [
        threading.Thread(target=run, args=(triager_loop, browsers[u.pk], stop_at)) for u in triagers
    ]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=DURATION + 120)
    elapsed = time.monotonic() - started

    timings = [t for b in browsers.values() for t in b.timings]
    failed = [t for t in timings if t[2] == 0 or t[2] >= 400]
    latencies = [t[1] for t in timings]
    stored = Melding.objects.filter(reporter__in=reporters).count()
    print(
        f"\nLOAD {len(timings)} requests in {elapsed:.1f}s ({len(timings) / elapsed:.1f}/s), "
        f"{len(threads)} concurrent users, 2 gunicorn workers; "
        f"p50 {percentile(latencies, 50) * 1000:.0f} ms, "
        f"p95 {percentile(latencies, 95) * 1000:.0f} ms, "
        f"p99 {percentile(latencies, 99) * 1000:.0f} ms; "
        f"errors {len(failed) + len(errors)}; filed {outcome['filed']}, stored {stored}, "
        f"lost {outcome['filed'] - stored}"
    )
    assert not errors, errors[:3]
    assert not failed, failed[:5]
    assert not outcome["failed_filings"], outcome["failed_filings"][:3]
    assert outcome["filed"] >= REPORTERS
    assert stored == outcome["filed"]

    # PostgreSQL drops every connection of the web workers between requests.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            # The web workers connect as the suite's app role, which may signal only its own
            # backends (not the owner's connection that flushes between tests).
            "AND usename = current_user"
        )
        killed = sum(1 for (ok,) in cursor.fetchall() if ok)
    assert killed >= 1
    reporter = browsers[reporters[0].pk]
    for _ in range(4):  # enough to reach both workers
        status, _, body = reporter.get("/health/")
        assert status == 200 and '"database": "ok"' in body
        assert reporter.get("/meldingen/")[0] == 200
    print(f"FAULT pg_terminate_backend on {killed} web connection(s): next requests 200")
