"""Asking for an account without one (issue 20 §4): the public page files an
``AccessRequest``; the organisation's griffier or secretaris approves it, which sends the
normal invitation (``weerbaar.invitations``, and with it the membership request of
``weerbaar.memberships``), or refuses it.

The page must not tell who has an account: whatever the address, it answers the same. An
address that already has an account gets an email of its own instead of a request (only
its owner reads it, and it says no more than that there is an account); a second request
for the same role while one waits is dropped. Only reporter roles can be asked for here:
a role that sees other people's cases comes by a colleague's invitation and four eyes.
Emails and inbox messages carry no personal data beyond "there is a request"."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, invitations, sweeps
from .constants import AuditAction, RequestDecision, Role
from .membership_rules import ANY, RULES, may_request
from .models import AccessRequest, Membership, User
from .notifications import email_address, notify_many

__all__ = [
    "PURGE_SWEEP",
    "REQUESTABLE_ROLES",
    "approve",
    "decider_ids",
    "file_request",
    "purge_old",
    "refuse",
]

# The roles the public page offers: those that only report, granted in one step.
REQUESTABLE_ROLES = (
    Role.OFFICE_HOLDER,
    Role.CANDIDATE,
    Role.FORMER_OFFICE_HOLDER,
    Role.CIVIL_SERVANT,
)

PURGE_SWEEP = "purge-access-requests"


def decider_ids(*, organisation, role):
    """Who is told of a request: the holders in force of the roles that may ask for
    ``role`` in ``organisation`` (its griffier and secretaris). The functioneel beheerders
    only when the organisation has nobody in those roles yet."""
    local, national = Q(pk__in=[]), Q(pk__in=[])
    for held, scope in RULES[Role(role)].requesters:
        if scope == ANY:
            national |= Q(role=held)
        else:
            local |= Q(role=held, organisation=organisation)
    active = Membership.objects.active()
    ids = list(active.filter(local).values_list("user_id", flat=True).distinct())
    return ids or list(active.filter(national).values_list("user_id", flat=True).distinct())


def _mail(address, subject, template, context=None):
    """An email to an address without an inbox, through the outbox (delivered by the
    worker, retried, never lost with a failed commit)."""
    body = render_to_string(template, {"site_url": settings.SITE_URL, **(context or {})})
    email_address(address, kind="weerbaar.access_request", subject=subject, body=body.strip())


def _has_account(email):
    return (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )


def file_request(*, name, email, organisation, role, position="", message="", http_request=None):
    """File a request from the public page. Returns it, or None when nothing was filed (the
    address has an account, or the same request waits already): the caller answers the
    same either way."""
    role = Role(role)
    if role not in REQUESTABLE_ROLES:
        raise PermissionDenied
    email = email.strip().lower()
    with transaction.atomic():
        if _has_account(email):
            _mail(
                email,
                _("Aanvraag voor toegang"),
                "weerbaar/email/access_request_account.txt",
                {"login": settings.SITE_URL.rstrip("/") + reverse("account_login")},
            )
            return None
        waiting = AccessRequest.objects.pending().filter(
            email=email, organisation=organisation, role=role
        )
        if waiting.exists():
            return None
        access_request = AccessRequest.objects.create(
            name=name.strip(),
            email=email,
            organisation=organisation,
            role=role,
            position=position or "",
            message=message.strip(),
        )
        audit.record(
            AuditAction.CREATE,
            obj=access_request,
            request=http_request,
            organisation=organisation,
            role=role,
        )
        notify_many(
            decider_ids(organisation=organisation, role=role),
            kind="weerbaar.access_request",
            subject=_("Er is een aanvraag voor toegang"),
            body=_(
                "Er is een aanvraag voor toegang tot het portaal voor %(organisation)s. Log "
                "in om die te bekijken en goed te keuren of te weigeren."
            )
            % {"organisation": organisation.name},
            link=reverse("access_request_list"),
            dedupe_key=f"access-request:{access_request.pk}",
        )
    return access_request


def _locked(access_request, decider):
    locked = (
        AccessRequest.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=access_request.pk)
    )
    if not locked.is_pending:
        raise ValidationError(_("Over deze aanvraag is al besloten."), code="decided")
    if not may_request(decider, organisation=locked.organisation, role=locked.role):
        raise PermissionDenied
    return locked


def _decided(locked, *, decider, decision, action, http_request, **detail):
    locked.decision = decision
    locked.decided_by = decider
    locked.decided_at = timezone.now()
    locked.save()
    audit.record(
        action,
        actor=decider,
        obj=locked,
        request=http_request,
        organisation=locked.organisation,
        role=locked.role,
        **detail,
    )
    return locked


def approve(*, decider, access_request, valid_until=None, http_request=None):
    """Send the requester the invitation a griffier would send by hand. A candidate's
    membership ends at ``valid_until`` (the election period the decider sets)."""
    if access_request.role == Role.CANDIDATE and valid_until is None:
        raise ValidationError(_("Vul in tot wanneer de kandidaat kan melden."), code="valid_until")
    with transaction.atomic():
        locked = _locked(access_request, decider)
        invitation, _token = invitations.create_invitation(
            inviter=decider,
            email=locked.email,
            organisation=locked.organisation,
            role=locked.role,
            position=locked.position,
            full_name=locked.name,
            valid_until=valid_until,
            request=http_request,
        )
        locked.invitation = invitation
        return _decided(
            locked,
            decider=decider,
            decision=RequestDecision.APPROVED,
            action=AuditAction.MEMBERSHIP_APPROVED,
            http_request=http_request,
            invitation=invitation.pk,
        )


def refuse(*, decider, access_request, reason, http_request=None):
    """Refuse with a reason for the organisation's record; the requester is told that
    the request was not granted, not why."""
    if not reason.strip():
        raise ValidationError(_("Geef aan waarom u de aanvraag weigert."), code="reason")
    with transaction.atomic():
        locked = _locked(access_request, decider)
        locked.reason = reason.strip()
        _mail(
            locked.email,
            _("Uw aanvraag voor toegang"),
            "weerbaar/email/access_request_refused.txt",
        )
        return _decided(
            locked,
            decider=decider,
            decision=RequestDecision.REFUSED,
            action=AuditAction.MEMBERSHIP_REFUSED,
            http_request=http_request,
        )


def purge_old(now=None):
    """Delete requests ``ACCESS_REQUEST_RETENTION_DAYS`` after their decision, or after
    they were filed when nobody decided. The invitation an approval sent, and the audit
    log, remain the record."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ACCESS_REQUEST_RETENTION_DAYS)
    ids = list(
        AccessRequest.objects.filter(
            Q(decided_at__lt=cutoff) | Q(decided_at__isnull=True, created_at__lt=cutoff)
        ).values_list("pk", flat=True)
    )

    def purge(chunk):
        _total, deleted = AccessRequest.objects.filter(pk__in=chunk).delete()
        count = deleted.get(AccessRequest._meta.label, 0)
        audit.record(AuditAction.PURGE, kind="weerbaar.accessrequest", count=count)
        return count

    with sweeps.run(PURGE_SWEEP, now=now) as sweep:
        return sweep.act(ids, purge, model=AccessRequest)
