"""Accounts come by invitation only: a griffier or secretaris invites people of their own
organisation, the functioneel beheerder invites anyone (who may ask for which role is
``weerbaar.membership_rules``). The token is single-use, expires, and only its hash is
stored. The email goes out through the outbox (``weerbaar.notifications.email_address``),
with the link encrypted at rest until it is sent. Every invitation is a membership request
(``weerbaar.memberships``): a reporter role takes effect at acceptance, a sensitive one
only once a second person approved it."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, memberships, notifications
from .constants import POSITION_ROLES, AuditAction
from .membership_rules import may_request
from .models import Invitation, User
from .models.invitations import hash_token, new_token

__all__ = [
    "RESEND_INTERVAL",
    "accept_invitation",
    "can_invite",
    "create_invitation",
    "create_invitations",
    "find_invitation",
    "resend_invitation",
    "revoke_invitation",
]

# A griffier may send the same invitation again at most once in this time.
RESEND_INTERVAL = timedelta(minutes=5)
EMAIL_KIND = "weerbaar.invitation"


def can_invite(user, organisation, role):
    return may_request(user, organisation=organisation, role=role)


def _email(invitation, token, inviter):
    """The invitation's email for the outbox; the link (the token) only in its encrypted,
    erased-when-sent field."""
    link = settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[token])
    body = render_to_string(
        "weerbaar/email/invitation.txt", {"invitation": invitation, "inviter": inviter}
    )
    return notifications.to_address(
        invitation.email,
        kind=EMAIL_KIND,
        subject=_("Uitnodiging"),
        body=body,
        secret_link=link,
        dedupe_key=f"invitation:{invitation.pk}:{invitation.token_hash[:16]}",
    )


def _queue_email(invitation, token, inviter):
    _email(invitation, token, inviter).save(force_insert=True)


def _drop_unsent_emails(invitation):
    """An email not yet sent for an old token would carry a dead link: drop it."""
    from .models import Notification

    Notification.objects.filter(
        kind=EMAIL_KIND,
        dedupe_key__startswith=f"invitation:{invitation.pk}:",
        emailed_at__isnull=True,
    ).delete()


def create_invitation(
    *,
    inviter,
    email,
    organisation,
    role,
    position="",
    full_name="",
    valid_from=None,
    valid_until=None,
    request=None,
):
    """Create the invitation, its membership request and its email in the outbox.
    ``valid_from`` starts and ``valid_until`` ends the membership it grants (a new
    council's installation date; a candidate's election period)."""
    if not can_invite(inviter, organisation, role):
        raise PermissionDenied
    if memberships.is_self(inviter, email=email):
        raise PermissionDenied(_("U kunt uzelf geen rol geven."))
    token = new_token()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email.lower(),
            full_name=full_name,
            organisation=organisation,
            role=role,
            position=position if role in POSITION_ROLES else "",
            invited_by=inviter,
            token_hash=hash_token(token),
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
            sent_at=timezone.now(),
        )
        audit.record(
            AuditAction.INVITE,
            actor=inviter,
            obj=invitation,
            request=request,
            organisation=organisation,
            role=role,
        )
        memberships.request(
            requested_by=inviter,
            organisation=organisation,
            role=role,
            position=invitation.position,
            email=invitation.email,
            invitation=invitation,
            valid_until=valid_until,
            http_request=request,
            valid_from=valid_from,
        )
        _queue_email(invitation, token, inviter)
    return invitation, token


def create_invitations(*, inviter, organisation, people, request=None):
    """``create_invitation`` for a whole checked list, all or nothing, in a few statements
    whatever its length: ``people`` are dicts with ``email``, ``full_name``, ``role``,
    ``position`` and ``valid_from``. Returns the invitations."""
    from .models import Notification

    now = timezone.now()
    expires = now + timedelta(days=settings.INVITATION_VALID_DAYS)
    tokens = [new_token() for _person in people]
    unsaved = [
        Invitation(
            email=p["email"].lower(),
            full_name=p["full_name"],
            organisation=organisation,
            role=p["role"],
            position=p["position"] if p["role"] in POSITION_ROLES else "",
            invited_by=inviter,
            token_hash=hash_token(token),
            expires_at=expires,
            sent_at=now,
        )
        for p, token in zip(people, tokens, strict=True)
    ]
    with transaction.atomic():
        # The request's checks (who may ask for which role, never for oneself) come first.
        created = Invitation.objects.bulk_create(unsaved)
        memberships.request_many(
            requested_by=inviter,
            organisation=organisation,
            wanted=[
                {
                    "role": inv.role,
                    "position": inv.position,
                    "email": inv.email,
                    "invitation": inv,
                    "valid_from": p["valid_from"],
                }
                for inv, p in zip(created, people, strict=True)
            ],
            http_request=request,
        )
        audit.record_many(
            [
                audit.event(
                    AuditAction.INVITE,
                    actor=inviter,
                    obj=inv,
                    request=request,
                    organisation=organisation,
                    role=inv.role,
                    bulk=True,
                )
                for inv in created
            ]
        )
        Notification.objects.bulk_create(
            [_email(inv, token, inviter) for inv, token in zip(created, tokens, strict=True)]
        )
    return created


def _locked_for(actor, invitation):
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=invitation.pk)
    )
    if not can_invite(actor, locked.organisation, locked.role):
        raise PermissionDenied
    if locked.accepted_at is not None:
        raise ValidationError(_("Deze uitnodiging is al aanvaard."), code="used")
    if locked.revoked_at is not None:
        raise ValidationError(_("Deze uitnodiging is ingetrokken."), code="revoked")
    return locked


def resend_invitation(*, actor, invitation, request=None):
    """A new token and a new expiry for an invitation not yet accepted; the old link stops
    working. At most once per ``RESEND_INTERVAL``. Returns the new token."""
    now = timezone.now()
    with transaction.atomic():
        locked = _locked_for(actor, invitation)
        if locked.last_sent_at > now - RESEND_INTERVAL:
            raise ValidationError(
                _(
                    "Deze uitnodiging is net verstuurd. U kunt haar over een paar minuten "
                    "opnieuw versturen."
                ),
                code="too_soon",
            )
        _drop_unsent_emails(locked)
        token = new_token()
        locked.token_hash = hash_token(token)
        locked.expires_at = now + timedelta(days=settings.INVITATION_VALID_DAYS)
        locked.sent_at = now
        locked.save(update_fields=["token_hash", "expires_at", "sent_at"])
        audit.record(
            AuditAction.INVITE_RESENT,
            actor=actor,
            obj=locked,
            request=request,
            organisation=locked.organisation,
            role=locked.role,
        )
        _queue_email(locked, token, actor)
    return locked, token


def revoke_invitation(*, actor, invitation, request=None):
    """Make an invitation unusable; its membership request is withdrawn."""
    with transaction.atomic():
        locked = _locked_for(actor, invitation)
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.save(update_fields=["revoked_at", "revoked_by"])
        _drop_unsent_emails(locked)
        mreq = getattr(locked, "membership_request", None)
        if mreq is not None:
            memberships.withdraw(
                actor=actor,
                membership_request=mreq,
                reason=_("Uitnodiging ingetrokken"),
                http_request=request,
            )
        audit.record(
            AuditAction.INVITE_REVOKED,
            actor=actor,
            obj=locked,
            request=request,
            organisation=locked.organisation,
            role=locked.role,
        )
    return locked


def find_invitation(token):
    return (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=hash_token(token))
        .first()
    )


def accept_invitation(*, token, password, full_name="", request=None):
    """Create the account (or add the membership to the logged-in account of the same email)
    and use up the token. Raises ValidationError with a Dutch message when the token is
    unknown, used or expired."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("organisation")
            .filter(token_hash=hash_token(token))
            .first()
        )
        if invitation is None:
            raise ValidationError(_("Deze uitnodiging bestaat niet."), code="unknown")
        if invitation.accepted_at is not None:
            raise ValidationError(_("Deze uitnodiging is al gebruikt."), code="used")
        if invitation.revoked_at is not None:
            raise ValidationError(_("Deze uitnodiging is ingetrokken."), code="revoked")
        if invitation.is_expired:
            raise ValidationError(
                _("Deze uitnodiging is verlopen. Vraag om een nieuwe uitnodiging."),
                code="expired",
            )
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is None:
            user = User.objects.create_user(
                invitation.email, password, full_name=full_name or invitation.full_name
            )
        elif request is None or request.user != user:
            raise ValidationError(
                _("Er bestaat al een account met dit e-mailadres. Log eerst in."),
                code="login_first",
            )
        # Following the link proves the address is the invitee's.
        EmailAddress.objects.update_or_create(
            user=user, email=invitation.email, defaults={"verified": True, "primary": True}
        )
        grant = memberships.accept(invitation=invitation, user=user, http_request=request)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit.record(
            AuditAction.INVITE_ACCEPTED,
            actor=user,
            obj=invitation,
            request=request,
            organisation=invitation.organisation,
            waiting_for_approval=grant.is_pending,
        )
    return user
