"""ASVS 6.3.1 / 6.5.x: second-factor codes back off per account and lock after ten misses.

Before, someone who knew a password could try 5 codes a minute forever (~19 % success in 30
days by the issue's count). Now the 5th wrong code in a row starts a wait that doubles with
every further miss, during which even the right code is refused, and the 10th locks code
entry for 24 hours, tells the user and the functioneel beheerders, and is audited. The
arithmetic (``weerbaar.mfa_throttle``) is computed here from the settings.

Real login pages, real PostgreSQL and Redis; time moves with time-machine (allauth's rate
limit, TOTP and the throttle all read the same clock)."""

import pyotp
import pytest
import time_machine
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD
from weerbaar import mfa_throttle
from weerbaar.constants import AuditAction, Role
from weerbaar.models import AuditEvent, Notification, SecondFactorThrottle
from weerbaar.notifications import deliver_pending

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
WAIT = "Te veel foute codes"
NOTHING_ACCEPTED = "tot dan wordt geen enkele code geaccepteerd"
LOCKED = "geblokkeerd tot"
MONTH = 30 * 24 * 60 * 60


@pytest.fixture
def griffier(gemeente_a, user_factory):
    user = user_factory(Role.GRIFFIER, gemeente_a)
    TOTP.activate(user, SECRET)
    return user


@pytest.fixture
def beheerder(bzk, user_factory):
    return user_factory(Role.FUNCTIONEEL_BEHEERDER, bzk)


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        yield traveller


def right():
    return pyotp.TOTP(SECRET).now()


def wrong():
    code = right()
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


def code_step(user):
    """A fresh browser past the password step, at the code step."""
    client = Client()
    client.get("/accounts/login/")
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    return client


def send(client, code):
    return client.post("/accounts/2fa/authenticate/", {"code": code})


def error(response):
    assert response.status_code == 200
    return " ".join(response.context["form"].errors.get("code", []))


def signed_in(client):
    return client.get("/").status_code == 200


def miss_until_locked(user, clock):
    """Ten wrong codes in a row, waiting out each back-off (a new login each time, as an
    attacker would); returns the answer to the tenth."""
    policy = mfa_throttle.Policy.from_settings()
    for failures in range(1, policy.lockout_failures):
        assert LOCKED not in error(send(code_step(user), wrong()))
        clock.shift(policy.wait_after(failures) + 1)
    return send(code_step(user), wrong())


def test_the_arithmetic_keeps_an_attacker_under_a_tenth_of_a_percent_a_month():
    policy = mfa_throttle.Policy.from_settings()
    p = mfa_throttle.guess_probability()
    assert p == pytest.approx(1 / 10**6 + 10 / 10**8)
    guesses = mfa_throttle.max_guesses(MONTH, policy)
    # Independently of the walk: one round is the free codes, the waits and the lockout.
    round_seconds = (
        sum(policy.wait_after(f) for f in range(1, policy.lockout_failures))
        + policy.lockout_seconds
    )
    rounds = MONTH // round_seconds + 1
    assert (rounds - 1) * policy.lockout_failures < guesses <= rounds * policy.lockout_failures
    chance = mfa_throttle.attacker_success_probability(30, policy)
    assert chance == pytest.approx(1 - (1 - p) ** guesses)
    assert chance < 0.001
    # The same formula gives the figure for 5 codes a minute without back-off.
    before = 1 - (1 - 1 / 10**6) ** (5 * 60 * 24 * 30)
    assert 0.19 < before < 0.20
    assert chance < before / 500


def test_fifth_wrong_code_starts_a_wait_that_refuses_even_the_right_code(griffier, clock):
    client = code_step(griffier)
    for _ in range(4):
        assert WAIT not in error(send(client, wrong()))
    fifth = error(send(client, wrong()))
    minutes = settings.MFA_BACKOFF_BASE_SECONDS // 60
    assert WAIT in fifth and f"over {minutes} minuten" in fifth and NOTHING_ACCEPTED in fifth
    assert NOTHING_ACCEPTED in error(send(client, right()))
    assert not signed_in(client)
    # Another browser does not start afresh: the count is the account's.
    assert NOTHING_ACCEPTED in error(send(code_step(griffier), right()))
    clock.shift(settings.MFA_BACKOFF_BASE_SECONDS - 30)
    assert NOTHING_ACCEPTED in error(send(code_step(griffier), right()))

    clock.shift(31)
    client = code_step(griffier)
    assert send(client, right()).status_code == 302
    assert signed_in(client)
    assert SecondFactorThrottle.objects.get(user=griffier).failures == 0


def test_the_wait_doubles_with_every_further_miss(griffier, clock):
    base = settings.MFA_BACKOFF_BASE_SECONDS
    client = code_step(griffier)
    for _ in range(5):
        send(client, wrong())
    clock.shift(base + 1)
    sixth = error(send(code_step(griffier), wrong()))
    assert f"over {2 * base // 60} minuten" in sixth
    clock.shift(base + 1)  # half of the new wait
    assert NOTHING_ACCEPTED in error(send(code_step(griffier), right()))


def test_tenth_wrong_code_locks_and_tells_the_user_and_the_beheerder(griffier, beheerder, clock):
    tenth = error(miss_until_locked(griffier, clock))
    assert LOCKED in tenth

    # Locked: the right code is refused, from any browser, until the lock ends.
    clock.shift(23 * 60 * 60)
    refused = code_step(griffier)
    assert LOCKED in error(send(refused, right()))
    assert not signed_in(refused)

    user_notice = Notification.objects.get(kind="weerbaar.mfa_locked")
    assert user_notice.recipient == griffier
    admin_notice = Notification.objects.get(kind="weerbaar.mfa_locked_beheer")
    assert admin_notice.recipient == beheerder
    deliver_pending()
    to_user = [m for m in mail.outbox if m.to == [griffier.email]]
    to_admin = [m for m in mail.outbox if m.to == [beheerder.email]]
    assert len(to_user) == len(to_admin) == 1
    assert "Wachtwoord vergeten" in to_user[0].body
    for message in to_user + to_admin:
        assert SECRET not in message.body and right() not in message.body
    assert griffier.email not in to_admin[0].body
    assert griffier.full_name not in to_admin[0].body
    assert "/blokkades/" in to_admin[0].body

    events = AuditEvent.objects.filter(object_type="weerbaar.user", object_id=str(griffier.pk))
    assert events.filter(action=AuditAction.MFA_FAILED).count() == 10
    assert events.filter(action=AuditAction.MFA_LOCKED).count() == 1

    # The lock ends by itself after 24 hours; then the right code works and the count is new.
    clock.shift(60 * 60 + 1)
    client = code_step(griffier)
    assert send(client, right()).status_code == 302
    assert signed_in(client)


def test_recovery_codes_count_and_are_refused_during_wait_and_lock(griffier, clock):
    codes = RecoveryCodes.activate(griffier).get_unused_codes()
    client = code_step(griffier)
    for guess in ("12345678", "87654321", "11112222", "33334444"):
        assert WAIT not in error(send(client, guess))
    assert WAIT in error(send(client, "55556666"))
    assert NOTHING_ACCEPTED in error(send(client, codes[0]))
    assert not signed_in(client)
    clock.shift(settings.MFA_BACKOFF_BASE_SECONDS + 1)
    client = code_step(griffier)
    assert send(client, codes[0]).status_code == 302
    assert signed_in(client)


def test_recovery_code_is_refused_during_a_lock(griffier, clock):
    codes = RecoveryCodes.activate(griffier).get_unused_codes()
    miss_until_locked(griffier, clock)
    client = code_step(griffier)
    assert LOCKED in error(send(client, codes[0]))
    assert not signed_in(client)


def test_beheerder_lifts_a_lock_and_it_is_audited(griffier, beheerder, client_for, clock):
    miss_until_locked(griffier, clock)
    admin = client_for(beheerder)
    page = admin.get("/blokkades/")
    assert page.status_code == 200 and griffier.email in page.content.decode()
    assert client_for(griffier).get("/blokkades/").status_code == 404
    assert admin.post(f"/blokkades/{griffier.pk}/opheffen/").status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.MFA_UNLOCKED, actor=beheerder).exists()
    assert Notification.objects.filter(kind="weerbaar.mfa_unlocked", recipient=griffier).exists()
    assert griffier.email not in admin.get("/blokkades/").content.decode()
    client = code_step(griffier)
    assert send(client, right()).status_code == 302
    assert signed_in(client)


def test_beheerder_cannot_lift_their_own_lock(beheerder, client_for, clock):
    TOTP.activate(beheerder, SECRET)
    miss_until_locked(beheerder, clock)
    client_for(beheerder).post(f"/blokkades/{beheerder.pk}/opheffen/")
    assert mfa_throttle.locked(beheerder) is not None
    assert not AuditEvent.objects.filter(action=AuditAction.MFA_UNLOCKED).exists()


def test_reauthentication_codes_count_too(griffier, client_for):
    client = client_for(griffier)
    for _ in range(4):
        response = client.post("/accounts/2fa/reauthenticate/", {"code": wrong()})
        assert WAIT not in error(response)
    fifth = client.post("/accounts/2fa/reauthenticate/", {"code": wrong()})
    assert WAIT in error(fifth)
    assert NOTHING_ACCEPTED in error(
        client.post("/accounts/2fa/reauthenticate/", {"code": right()})
    )
