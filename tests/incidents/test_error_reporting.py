"""Error reporting to a Sentry-compatible service: a crash while filing a melding reaches
the service (a real HTTP receiver on loopback standing in for it) without the melding's
description, the reporter's email, the session cookie or the query string."""

import gzip
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli
import pytest
import requests
import sentry_sdk
from django.conf import settings
from django.urls import reverse

from incidents import services
from weerbaar import error_reporting

from .helpers import form_data

pytestmark = pytest.mark.django_db(transaction=True)

DESCRIPTION = "Zwaardvis-7731 stond gisteravond bij mijn voordeur in Utrecht"
SEARCH = "geheimezoekterm-5521"


class Receiver(BaseHTTPRequestHandler):
    """Takes envelopes as Sentry's ingest endpoint does and keeps them, decoded."""

    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            body = brotli.decompress(body)
        self.received.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format, *args):
        pass


@pytest.fixture
def receiver():
    Receiver.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def reporting(receiver):
    error_reporting.init(
        f"http://publickey@127.0.0.1:{receiver.server_address[1]}/1", environment="test"
    )
    yield Receiver.received
    sentry_sdk.init(dsn=None)


def items(envelope):
    """(item header, payload) pairs of a Sentry envelope: a header line, then for each item
    a header line and its payload (of the given length, or up to the newline)."""
    _header, _sep, rest = envelope.partition(b"\n")
    while rest.strip():
        line, _sep, rest = rest.partition(b"\n")
        header = json.loads(line)
        if "length" in header:
            payload, rest = rest[: header["length"]], rest[header["length"] + 1 :]
        else:
            payload, _sep, rest = rest.partition(b"\n")
        yield header, payload


def test_crash_while_filing_reaches_the_dsn_without_description_email_or_cookie(
    live_server, client_for, raadslid_a, griffier_a, reporting, monkeypatch
):
    """Through gunicorn's path (WSGI over real HTTP), where the SDK reads the request."""

    def broken_submit(melding, **kwargs):
        # As PostgreSQL words it: the error's later lines quote the row.
        raise RuntimeError(
            f"kon de melding niet versturen\nDETAIL: Key (description)=({DESCRIPTION}) exists."
        )

    monkeypatch.setattr(services, "submit", broken_submit)
    session_cookie = client_for(raadslid_a).cookies[settings.SESSION_COOKIE_NAME].value
    browser = requests.Session()
    browser.cookies.set(settings.SESSION_COOKIE_NAME, session_cookie)
    url = live_server.url + reverse("incidents:new")
    form = browser.get(url, timeout=30)
    assert form.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)

    response = browser.post(
        f"{url}?zoek={SEARCH}",
        data={**form_data(description=DESCRIPTION), "csrfmiddlewaretoken": token},
        headers={"Authorization": "Bearer api-geheim-9931"},
        timeout=30,
    )
    assert response.status_code == 500
    sentry_sdk.flush(timeout=10)

    assert reporting, "no envelope reached the receiver"
    assert all(path == "/api/1/envelope/" for path, _body in reporting)
    events = [
        json.loads(payload)
        for _path, body in reporting
        for header, payload in items(body)
        if header.get("type") == "event"
    ]
    assert len(events) == 1
    event = events[0]
    (exception,) = event["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    assert exception["value"] == "kon de melding niet versturen"
    assert event["request"] == {"method": "POST", "url": url}
    assert "user" not in event
    assert all("vars" not in frame for frame in exception["stacktrace"]["frames"])

    everything = b"".join(body for _path, body in reporting).decode()
    for secret in (
        DESCRIPTION,
        "Zwaardvis",
        raadslid_a.email,
        griffier_a.email,
        session_cookie,
        SEARCH,
        "api-geheim-9931",
        browser.cookies["csrftoken"],
        "opwachten",  # the form's other text fields
    ):
        assert secret not in everything, secret


def test_without_a_dsn_nothing_is_sent(client_for, raadslid_a, receiver, monkeypatch):
    sentry_sdk.init(dsn=None)
    monkeypatch.setattr(services, "submit", lambda melding, **kw: 1 / 0)
    client = client_for(raadslid_a)
    client.raise_request_exception = False
    assert client.post(reverse("incidents:new"), form_data()).status_code == 500
    sentry_sdk.flush(timeout=2)
    assert Receiver.received == []
