"""Growing back-off and a lockout for second-factor codes, per account.

Why: someone who knows a password can guess the six-digit code. The issue's figure for the
portal before this module was 5 codes a minute: 216,000 guesses in 30 days, each accepted
with chance p = 1/10^6 (one TOTP step; TOTP_TOLERANCE = 0) + 10/10^8 (ten unused 8-digit
recovery codes) = 1.1·10^-6, so 1 − (1 − p)^216,000 ≈ 21 % (19.4 % for TOTP alone).
(allauth's own limit, ``login_failed`` 5 per 5 minutes per account, averages 1 a minute:
43,200 guesses, ≈ 4.6 %. It still applies, on top of this module.)

The schedule (settings ``MFA_BACKOFF_*`` and ``MFA_LOCKOUT_*``), counted per account over
all sessions and addresses:

- the first 5 wrong codes in a row cost nothing (typos, a clock that is off);
- after the 5th, code entry waits 5 minutes (allauth's window, so both agree), after the
  6th 10, then 20, 40, 80 minutes: during a wait *every* code is refused unchecked, the
  right one too, so waiting is not optional;
- the 10th wrong code in a row locks code entry for 24 hours, tells the user (inbox and
  email) and the functioneel beheerders (inbox and email), and is audited;
- a right code resets the count; so does the end of a lockout.

The attacker's best case is therefore 10 guesses per 26 h 35 min (155 minutes of waits,
then the lockout): 27 whole rounds in 30 days and 9 guesses of a 28th, 279 guesses
(``max_guesses`` walks the schedule), so P = 1 − (1 − 1.1·10^-6)^279 ≈ 0.031 %
(``attacker_success_probability``), against ≈ 21 % before. Even without allauth's limit and
with a first wait of 1 minute it would be 300 guesses, 0.033 %.
``tests/security/test_v6_mfa_backoff.py`` computes it from the settings and holds it under
0.1 %.

Why the lockout ends by itself after 24 hours instead of waiting for the functioneel
beheerder: anyone who knows the password can trigger it, so a lock that only a person can
lift would keep a griffier out of their cases for as long as it takes to reach that person
(nights, weekends), while 24 hours already keeps the attacker at 0.031 % a month. The
functioneel beheerder can lift it earlier (``unlock``) after speaking to the user; the
notice tells the user to choose a new password, which ends the attack (the code step comes
after the password step).

WebAuthn is left out: a security key's signature cannot be guessed, so a failed assertion
is not an attempt at a secret, and a user with a key can still log in during a lock.
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from allauth.mfa import app_settings as mfa_settings
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import audit, metrics
from .constants import AuditAction, Role
from .models import Membership, SecondFactorThrottle
from .notifications import notify, notify_many

__all__ = [
    "Policy",
    "attacker_success_probability",
    "check_code",
    "guess_probability",
    "locked",
    "max_guesses",
    "unlock",
]


@dataclass(frozen=True)
class Policy:
    free_failures: int
    base_seconds: int
    lockout_failures: int
    lockout_seconds: int

    @classmethod
    def from_settings(cls):
        return cls(
            free_failures=settings.MFA_BACKOFF_FREE_FAILURES,
            base_seconds=settings.MFA_BACKOFF_BASE_SECONDS,
            lockout_failures=settings.MFA_LOCKOUT_FAILURES,
            lockout_seconds=settings.MFA_LOCKOUT_SECONDS,
        )

    def wait_after(self, failures):
        """Seconds code entry waits after ``failures`` wrong codes in a row."""
        if failures < self.free_failures:
            return 0
        return self.base_seconds * 2 ** (failures - self.free_failures)


def guess_probability():
    """The chance that one guessed code is accepted: a TOTP code of any step the tolerance
    accepts, or any of the unused recovery codes (all of them unused: the attacker's best
    case)."""
    totp = (2 * mfa_settings.TOTP_TOLERANCE + 1) / 10**mfa_settings.TOTP_DIGITS
    recovery = mfa_settings.RECOVERY_CODE_COUNT / 10**mfa_settings.RECOVERY_CODE_DIGITS
    return totp + recovery


def max_guesses(seconds, policy=None):
    """The most codes one account accepts for checking in ``seconds``: every attempt as
    soon as the schedule allows, the first at time 0."""
    policy = policy or Policy.from_settings()
    guesses, failures, t = 0, 0, 0
    while t <= seconds:
        guesses += 1
        failures += 1
        if failures >= policy.lockout_failures:
            t += policy.lockout_seconds
            failures = 0
        else:
            t += policy.wait_after(failures)
    return guesses


def attacker_success_probability(days=30, policy=None):
    """The chance that an attacker who knows the password passes the code step within
    ``days`` (independent guesses: an upper bound, repeats only lower it)."""
    guesses = max_guesses(days * 24 * 60 * 60, policy)
    return 1 - (1 - guess_probability()) ** guesses


def locked(user, *, now=None):
    """The lock in force on ``user``'s code entry, or None."""
    now = now or timezone.now()
    return SecondFactorThrottle.objects.filter(user=user, locked_until__gt=now).first()


def _when(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _wait_message(until, now):
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return ngettext(
        "Te veel foute codes. U kunt over %(n)d minuut (om %(time)s) weer een code invoeren; "
        "tot dan wordt geen enkele code geaccepteerd.",
        "Te veel foute codes. U kunt over %(n)d minuten (om %(time)s) weer een code invoeren; "
        "tot dan wordt geen enkele code geaccepteerd.",
        minutes,
    ) % {"n": minutes, "time": date_format(timezone.localtime(until), "H:i")}


def _locked_message(row):
    return _(
        "Inloggen met een code is voor dit account geblokkeerd tot %(until)s, na te veel foute "
        "codes. U heeft hierover een bericht gekregen. De functioneel beheerder kan de "
        "blokkade eerder opheffen."
    ) % {"until": _when(row.locked_until)}


def check_code(user, *, validate, request=None, now=None):
    """Check a second-factor code of ``user`` under the schedule above.

    ``validate()`` checks the code and answers True (right), False (wrong) or None (not
    looked at, e.g. allauth's own rate limit). It is not called while code entry waits or
    is locked. Returns the message to show instead of the form's own error, or None.

    The account's row is locked for the whole check, so parallel attempts are counted one
    by one; the count is committed before the caller raises the form error."""
    SecondFactorThrottle.objects.get_or_create(user_id=user.pk)
    policy = Policy.from_settings()
    with transaction.atomic():
        row = SecondFactorThrottle.objects.select_for_update().get(user_id=user.pk)
        now = now or timezone.now()
        if row.locked_until is not None:
            if row.locked_until > now:
                return _locked_message(row)
            row.failures, row.locked_at, row.locked_until = 0, None, None
            row.save(update_fields=["failures", "locked_at", "locked_until"])
        if row.failures and row.last_failure_at is not None:
            until = row.last_failure_at + timedelta(seconds=policy.wait_after(row.failures))
            if now < until:
                return _wait_message(until, now)
        outcome = validate()
        if outcome is None:
            return None
        if outcome:
            if row.failures:
                row.failures = 0
                row.save(update_fields=["failures"])
            return None
        row.failures += 1
        row.last_failure_at = now
        metrics.login_failed("mfa")
        audit.record(
            AuditAction.MFA_FAILED, request=request, obj=user, actor=None, failures=row.failures
        )
        if row.failures >= policy.lockout_failures:
            row.locked_at = now
            row.locked_until = now + timedelta(seconds=policy.lockout_seconds)
            row.save()
            _lock(row, user, request=request)
            return _locked_message(row)
        row.save()
        wait = policy.wait_after(row.failures)
        return _wait_message(now + timedelta(seconds=wait), now) if wait else None


def _beheerders():
    people = Membership.objects.active().filter(role=Role.FUNCTIONEEL_BEHEERDER)
    return sorted(set(people.values_list("user_id", flat=True)))


def _lock(row, user, *, request):
    """Audit the lock and tell the user and the functioneel beheerders: that it happened
    and what to do, no code, no address, no name in the email to the beheerders (the
    portal's page shows whose account it is)."""
    audit.record(
        AuditAction.MFA_LOCKED,
        request=request,
        obj=user,
        actor=None,
        failures=row.failures,
        until=row.locked_until.isoformat(),
    )
    stamp = int(row.locked_at.timestamp())
    notify(
        user,
        kind="weerbaar.mfa_locked",
        subject=_("Inloggen met uw tweede factor is tijdelijk geblokkeerd"),
        body=_(
            "Bij het inloggen op uw account is %(n)d keer op rij een foute code ingevoerd. "
            "Inloggen met een code uit uw authenticator-app of een herstelcode is daarom "
            "geblokkeerd tot %(until)s, of tot de functioneel beheerder de blokkade opheft.\n\n"
            "Was u dit niet zelf? Dan kent iemand anders uw wachtwoord. Kies via ‘Wachtwoord "
            "vergeten’ op de inlogpagina een nieuw wachtwoord en neem contact op met de "
            "functioneel beheerder."
        )
        % {"n": row.failures, "until": _when(row.locked_until)},
        link=reverse("account_reset_password"),
        dedupe_key=f"weerbaar:mfa-locked:{user.pk}:{stamp}",
    )
    notify_many(
        [pk for pk in _beheerders() if pk != user.pk],
        kind="weerbaar.mfa_locked_beheer",
        subject=_("Een account is geblokkeerd na te veel foute codes"),
        body=_(
            "Bij één account is te vaak op rij een foute code voor de tweede factor "
            "ingevoerd. Inloggen met een code is daar 24 uur geblokkeerd. In het portaal ziet "
            "u welk account het is, en kunt u de blokkade opheffen nadat u de persoon heeft "
            "gesproken."
        ),
        link=reverse("mfa_lockouts"),
        dedupe_key=f"weerbaar:mfa-locked-beheer:{user.pk}:{stamp}",
    )


@transaction.atomic
def unlock(user, *, actor, request=None):
    """Lift the lock on ``user``'s code entry (and the count of wrong codes). Only a
    functioneel beheerder, never for their own account: the person locked out is the one
    an attacker would be."""
    if not actor.has_role(Role.FUNCTIONEEL_BEHEERDER) or actor.pk == user.pk:
        raise PermissionDenied
    row = SecondFactorThrottle.objects.select_for_update().filter(user=user).first()
    if row is None or row.locked_until is None or row.locked_until <= timezone.now():
        return False
    row.failures, row.locked_at, row.locked_until = 0, None, None
    row.save(update_fields=["failures", "locked_at", "locked_until"])
    audit.record(AuditAction.MFA_UNLOCKED, actor=actor, request=request, obj=user)
    notify(
        user,
        kind="weerbaar.mfa_unlocked",
        subject=_("De blokkade van uw tweede factor is opgeheven"),
        body=_(
            "De functioneel beheerder heeft de blokkade opgeheven. U kunt weer inloggen met "
            "een code uit uw authenticator-app of een herstelcode."
        ),
        link=reverse("home"),
    )
    return True
