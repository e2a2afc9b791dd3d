"""Erasure request for one person (AVG art. 17): the dry run changes nothing and says what
stays; the real run erases the account at once, ends every session and second factor, keeps
the records that must stay (pseudonymised) and writes one audit line."""

import io

import pyotp
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client

from incidents.models import Melding
from tests.factories import PASSWORD
from tests.incidents.factories import make_melding
from weerbaar.constants import AuditAction, Position, Role
from weerbaar.models import AuditEvent, Membership, User
from weerbaar.notifications import notify

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def person(gemeente_a, user_factory):
    user = user_factory(
        Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID, full_name="Fenna Vrijdag"
    )
    user.phone = "06-11122233"
    user.save()
    TOTP.activate(user, SECRET)
    notify(user, kind="t", subject="s", body="b")
    user_factory(Role.GRIFFIER, gemeente_a)
    melding = make_melding(user)
    return user, melding


def run(*args):
    out = io.StringIO()
    call_command("erase_person", *args, stdout=out)
    return out.getvalue()


def test_dry_run_changes_nothing_and_lists_what_stays(person):
    user, _melding = person
    output = run(user.email, "--dry-run")
    assert "Proefdraai: niets gewijzigd." in output
    assert "gewist: 1 × tweede factor" in output
    assert "blijft" in output and "incidents.melding.reporter" in output
    user.refresh_from_db()
    assert user.full_name == "Fenna Vrijdag" and user.is_active
    assert not AuditEvent.objects.filter(action=AuditAction.PURGE).exists()


def test_erasure_removes_the_account_and_keeps_the_record_pseudonymised(person, bzk, user_factory):
    user, melding = person
    operator = user_factory(Role.FUNCTIONEEL_BEHEERDER, bzk)
    # A login waiting for its second factor, as allauth stashes it in the session (the key
    # and field that the password step writes; see allauth.account.internal.stagekit).
    stash = SessionStore()
    stash["account_login"] = {"user_pk": str(user.pk)}
    stash.create()
    pending = stash.session_key
    browser = Client()
    browser.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    browser.post("/accounts/2fa/authenticate/", {"code": pyotp.TOTP(SECRET).now()})
    assert browser.get("/").status_code == 200
    session_key = browser.session.session_key
    assert Session.objects.filter(session_key=session_key).exists()
    email = user.email
    run(email, "--operator", operator.email)

    user = User.objects.get(pk=user.pk)
    assert user.full_name == f"Verwijderde gebruiker {user.pk}"
    assert email not in user.email and not user.phone and not user.has_usable_password()
    assert not user.is_active
    assert not user.authenticator_set.exists()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not user.notifications.exists()
    assert not Membership.objects.filter(user=user).active().exists()
    assert not Session.objects.filter(session_key__in=[session_key, pending]).exists()
    assert browser.get("/").status_code == 302
    assert Melding.objects.get(pk=melding.pk).reporter_id == user.pk
    event = AuditEvent.objects.get(action=AuditAction.PURGE, object_id=str(user.pk))
    assert event.actor == operator
    assert "Fenna" not in str(event.detail) and email not in str(event.detail)


def test_unknown_person_is_a_clear_error(db):
    with pytest.raises(CommandError, match="Geen account"):
        run("niemand@example.org")
