"""ASVS 16.2.5 / 14.2.1: the links that are keys (an invitation, a password-reset link, a
trainer's iCal feed) never reach a log. Real gunicorn with the web container's own config
(docker/gunicorn.conf.py) serves the three flows; its stdout and stderr (access log, error
log and the portal's JSON log) are then searched for the secrets. The requests themselves
are still there: method, the path with the secret replaced, the status."""

import re

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings

from otwb import services as otwb_services
from tests.otwb.factories import TrainerFactory
from weerbaar.constants import Role
from weerbaar.invitations import create_invitation
from weerbaar.redaction import REDACTED

from .loadgen import ROOT, Browser, Gunicorn
from .test_load import database_url

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Een lange zin van woorden 42"


def access_line(log, method, path, status):
    """The access-log line of a request, as gunicorn's combined format writes it."""
    return re.search(rf'"{method} {re.escape(path)} HTTP/1\.1" {status} ', log)


def test_invitation_reset_and_feed_links_are_logged_without_their_secrets(
    tmp_path, gemeente_a, user_factory
):
    beheerder = user_factory(Role.FUNCTIONEEL_BEHEERDER, gemeente_a)
    _invitation, invite_token = create_invitation(
        inviter=beheerder, email="nieuw@example.org", organisation=gemeente_a, role=Role.GRIFFIER
    )
    reader = user_factory(Role.GRIFFIER, gemeente_a)
    uid, reset_key = user_pk_to_url_str(reader), default_token_generator.make_token(reader)
    feed_token = otwb_services.regenerate_feed_token(TrainerFactory(), actor=beheerder)
    secrets = {"invitation": invite_token, "reset key": reset_key, "feed": feed_token}

    log_path = tmp_path / "gunicorn.log"
    with log_path.open("wb") as output:
        web = Gunicorn(
            database_url(),
            settings.CACHES["default"]["LOCATION"],
            workers=1,
            config=ROOT / "docker" / "gunicorn.conf.py",
            output=output,
        )
        web.start()
        try:
            browser = Browser(web.port)
            invite_path = f"/uitnodiging/{invite_token}/"
            # A forged POST: Django's CSRF refusal logs the path it refused.
            assert browser.request("POST", invite_path, {"full_name": "x"})[0] == 403
            browser.cookies.clear()
            status, location, _ = browser.post_form(
                f"{invite_path}?bron=mail",
                {"full_name": "Nieuw", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
            )
            assert (status, location) == (302, "/")
            # A page opened from the invitation sends it as its Referer.
            browser.conn.request(
                "GET",
                "/health/",
                headers={"Referer": f"https://127.0.0.1:{web.port}{invite_path}"},
            )
            browser.conn.getresponse().read()

            reset = Browser(web.port)
            status, set_password, _ = reset.get(f"/accounts/password/reset/key/{uid}-{reset_key}/")
            assert status == 302 and reset_key not in set_password
            status, location, _ = reset.post_form(
                set_password, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
            )
            assert (status, location) == (302, "/accounts/password/reset/key/done/")

            status, _, body = Browser(web.port).get(f"/otwb/agenda/{feed_token}.ics?x=1")
            assert status == 200 and "BEGIN:VCALENDAR" in body
        finally:
            web.stop()

    log = log_path.read_text(errors="replace")
    for what, secret in secrets.items():
        assert secret not in log, f"the {what} is in the log"
    assert "bron=mail" not in log and "x=1" not in log
    # Still logged: every request, with method, redacted path and status.
    assert access_line(log, "GET", f"/uitnodiging/{REDACTED}", 200)
    assert access_line(log, "POST", f"/uitnodiging/{REDACTED}", 302)
    assert access_line(log, "POST", f"/uitnodiging/{REDACTED}", 403)
    assert access_line(log, "GET", f"/accounts/password/reset/key/{REDACTED}", 302)
    assert access_line(log, "POST", f"/accounts/password/reset/key/{REDACTED}", 302)
    assert access_line(log, "GET", f"/otwb/agenda/{REDACTED}", 200)
    assert access_line(log, "GET", "/health/", 200)
    assert f"/uitnodiging/{REDACTED}" in log.split('"GET /health/ HTTP/1.1" 200 ', 1)[1]
    assert re.search(r"Forbidden \(CSRF[^)]*\): /uitnodiging/\[weggelaten\]", log)
