"""ASVS 16.2.5: URL secrets and query strings are taken out of every log line that can hold a
path, also Django's own (``django.request``, ``django.security``, and ``django.server`` of
``runserver``). Which routes hold a secret is read from the URLconf."""

import logging

from django.urls import reverse

from weerbaar.constants import AuditAction, Role
from weerbaar.invitations import create_invitation
from weerbaar.models import AuditEvent
from weerbaar.redaction import REDACTED, redact_text, secret_prefixes


def _handler_output(logger_name, message, *args):
    """What the handler of ``logger_name`` (as configured by LOGGING) would write."""
    logger = logging.getLogger(logger_name)
    while not logger.handlers and logger.propagate:
        logger = logger.parent
    handler = logger.handlers[0]
    record = logging.LogRecord(logger_name, logging.ERROR, __file__, 1, message, args, None)
    assert handler.filter(record)
    return handler.format(record)


def test_every_route_with_a_token_or_key_is_found_in_the_urlconf():
    assert set(secret_prefixes()) == {
        "uitnodiging/",
        "otwb/agenda/",
        "otwb/evaluatie/",
        "accounts/password/reset/key/",
        "accounts/confirm-email/",
    }


def test_secret_rest_of_a_path_and_every_query_string_are_dropped():
    assert redact_text('"GET /uitnodiging/Tok3n-x_y/?next=/meldingen/ HTTP/1.1" 200') == (
        f'"GET /uitnodiging/{REDACTED} HTTP/1.1" 200'
    )
    assert redact_text("https://portal.example/otwb/agenda/abc.ics") == (
        f"https://portal.example/otwb/agenda/{REDACTED}"
    )
    assert redact_text("/meldingen/triage/?status=submitted&q=Jansen") == "/meldingen/triage/"
    # A literal route beside a secret one and a sentence with a question mark stay as they are.
    assert redact_text("/accounts/password/reset/key/done/") == "/accounts/password/reset/key/done/"
    assert redact_text("/uitnodigingen/ bekeken? ja") == "/uitnodigingen/ bekeken? ja"


def test_django_request_and_runserver_lines_are_redacted():
    request_line = _handler_output(
        "django.request", "Internal Server Error: %s", "/uitnodiging/geheim123/"
    )
    assert "geheim123" not in request_line and f"/uitnodiging/{REDACTED}" in request_line
    server_line = _handler_output(
        "django.server", '"%s" %s %s', "GET /otwb/agenda/geheim456.ics?x=1 HTTP/1.1", 200, 10
    )
    assert "geheim456" not in server_line and "x=1" not in server_line
    assert f"GET /otwb/agenda/{REDACTED} HTTP/1.1" in server_line


def test_the_mfa_audit_line_keeps_an_invitation_path_without_its_token(
    client_for, griffier_a, gemeente_a
):
    _invitation, token = create_invitation(
        inviter=griffier_a,
        email="raadslid@example.org",
        organisation=gemeente_a,
        role=Role.OFFICE_HOLDER,
        position="raadslid",
    )
    client = client_for(griffier_a, mfa=False)
    assert client.get(reverse("invitation_accept", args=[token])).status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.MFA_REQUIRED)
    assert event.detail["path"] == f"/uitnodiging/{REDACTED}"
    assert token not in str(event.detail)
