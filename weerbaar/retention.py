"""Erasure on request (AVG art. 17) for one person's account.

The account itself is erased at once: name, email address, phone, password, second factors,
sessions, the personal inbox, invitations sent to the address and the self-declared gender
(which the monitor then counts as not given). The ``User`` row stays as
a pseudonym ("Verwijderde gebruiker 42") because the records of meldingen and Veilig Wonen
files and the audit trail point to it: those are government records (Archiefwet) that keep
their own retention (``INCIDENTS_RETENTION_DAYS``, ``VEILIGWONEN_RETENTION_DAYS``), after
which their sweeps erase the content and the link to the person. The plan lists every such
record by kind, so the dry run tells the requester exactly what stays and until when.
"""

from dataclasses import dataclass, field
from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from . import audit, memberships
from .constants import AuditAction
from .models import GenderDeclaration, Invitation, Membership, Notification, User

__all__ = ["ErasurePlan", "erase_person", "plan_erasure"]

# Relations that erase_person clears itself (they are the account).
ACCOUNT_RELATIONS = {
    "account.emailaddress",
    "mfa.authenticator",
    "usersessions.usersession",
    "weerbaar.notification",
    "weerbaar.membership",
}


@dataclass
class ErasurePlan:
    user: User
    erased: dict = field(default_factory=dict)  # what goes now: label → count
    kept: dict = field(default_factory=dict)  # records that keep a pseudonymous link

    def lines(self):
        yield f"Account {self.user.pk}: naam, e-mailadres, telefoon en wachtwoord worden gewist."
        for label, count in sorted(self.erased.items()):
            yield f"  gewist: {count} × {label}"
        for label, count in sorted(self.kept.items()):
            yield f"  blijft (gepseudonimiseerd, tot de bewaartermijn): {count} × {label}"


def _account_rows(user):
    return {
        "e-mailadres": EmailAddress.objects.filter(user=user),
        "tweede factor": Authenticator.objects.filter(user=user),
        "sessie (overzicht)": UserSession.objects.filter(user=user),
        "bericht in eigen inbox": Notification.objects.filter(recipient=user),
        "uitnodiging aan dit adres": Invitation.objects.filter(email__iexact=user.email),
        # Hidden from ``User._meta.related_objects`` (related_name="+"), so named here.
        "antwoord op de vraag naar gender": GenderDeclaration.objects.filter(user=user),
    }


def plan_erasure(user):
    """What ``erase_person`` would do, without changing anything."""
    plan = ErasurePlan(user=user)
    for label, qs in _account_rows(user).items():
        if count := qs.count():
            plan.erased[label] = count
    if count := Membership.objects.filter(user=user).active().count():
        plan.erased["lidmaatschap (wordt beëindigd)"] = count
    for relation in User._meta.related_objects:
        model = relation.related_model
        if relation.many_to_many or model._meta.label_lower in ACCOUNT_RELATIONS:
            continue
        count = model._default_manager.filter(**{relation.field.name: user}).count()
        if count:
            label = f"{model._meta.verbose_name} ({model._meta.label_lower}.{relation.field.name})"
            plan.kept[label] = plan.kept.get(label, 0) + count
    return plan


def _end_sessions(user, now):
    """Django's own sessions hold the user id only inside the encoded data, and allauth's
    list of sessions misses a login still waiting for its second factor: decode every live
    session (a one-off operator task, so a scan is acceptable)."""
    keys = set(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for session in Session.objects.filter(expire_date__gt=now).iterator():
        data = session.get_decoded()
        pending = (data.get("account_login") or {}).get("user_pk")  # password given, MFA not
        if str(user.pk) in (data.get("_auth_user_id"), pending):
            keys.add(session.session_key)
    # Through the session engine, so a cached copy of the session goes with its row.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in keys:
        store().delete(key)


def erase_person(user, *, operator=None, dry_run=False):
    """Erase the account of ``user``; returns the plan that was (or would be) carried out."""
    plan = plan_erasure(user)
    if dry_run:
        return plan
    now = timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        _end_sessions(user, now)
        for qs in _account_rows(user).values():
            qs.delete()
        memberships.end_all(user=user, actor=operator, reason="erase_person", at=now)
        user.full_name = f"Verwijderde gebruiker {user.pk}"
        user.email = f"verwijderd-{user.pk}@invalid.invalid"
        user.phone = ""
        user.is_active = False
        user.is_staff = user.is_superuser = False
        user.set_unusable_password()
        user.save()
        audit.record(
            AuditAction.PURGE,
            actor=operator,
            obj=user,
            erased=sorted(plan.erased),
            kept=sorted(plan.kept),
        )
    return plan
