"""Accounts come by invitation only: a griffier or secretaris invites people of their own
organisation, the functioneel beheerder invites anyone (who may ask for which role is
``weerbaar.membership_rules``). The token is single-use, expires, and only its hash is
stored. Every invitation is a membership request (``weerbaar.memberships``): a reporter role
takes effect at acceptance, a sensitive one only once a second person approved it."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, memberships
from .constants import POSITION_ROLES, AuditAction
from .membership_rules import may_request
from .models import Invitation, User
from .models.invitations import hash_token, new_token

__all__ = ["accept_invitation", "can_invite", "create_invitation", "find_invitation"]


def can_invite(user, organisation, role):
    return may_request(user, organisation=organisation, role=role)


def create_invitation(
    *,
    inviter,
    email,
    organisation,
    role,
    position="",
    full_name="",
    valid_until=None,
    request=None,
):
    """Create the invitation and email its link once the transaction commits.
    ``valid_until`` ends the membership it grants (a candidate's election period)."""
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
        )
        link = settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[token])
        body = render_to_string(
            "weerbaar/email/invitation.txt",
            {"invitation": invitation, "link": link, "inviter": inviter},
        )
        transaction.on_commit(
            lambda: send_mail(
                subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{_('Uitnodiging')}",
                message=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[invitation.email],
            )
        )
    return invitation, token


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
