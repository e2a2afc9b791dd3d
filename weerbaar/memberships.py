"""The one write path for memberships: every membership is created, changed and ended here.

Invitations, the admin, commands, the demo, the load generator and the test fixtures all
call these functions; ``Membership`` refuses any other write (``membership_service_write``)
and a test greps the source for writers elsewhere.

A role is asked for with ``request``. A reporter role is granted at once; a role that sees
other people's cases (``membership_rules.SENSITIVE_ROLES``) waits in a ``MembershipRequest``
until a second, different person approves it (``approve``): never the requester, never the
grantee. Each request, approval, refusal, grant and ending is an ``AuditEvent``; when a
sensitive role takes effect, the people who already triage for that organisation are told
in their inbox, so that a newcomer reading their route's meldingen never goes unnoticed.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .constants import POSITION_ROLES, AuditAction, RequestDecision, Role
from .membership_rules import RULES, SENSITIVE_ROLES, approver_ids, may_approve, may_request
from .models import Membership, MembershipRequest, User
from .models.users import membership_service_write
from .notifications import notify_many

__all__ = [
    "accept",
    "approve",
    "end",
    "end_all",
    "is_self",
    "refuse",
    "request",
    "seed",
    "seed_many",
]


def is_self(actor, *, user=None, email=""):
    """Whether the grantee (an account or an address) is ``actor`` themselves."""
    if actor is None:
        return False
    if user is not None and user.pk == actor.pk:
        return True
    return bool(email) and email.strip().lower() == actor.email.lower()


def _forget_memberships(user):
    user.__dict__.pop("active_memberships", None)


def request(
    *,
    requested_by,
    organisation,
    role,
    position="",
    email="",
    user=None,
    invitation=None,
    valid_until=None,
    http_request=None,
):
    """Ask for ``role`` in ``organisation`` for ``user`` or the address ``email``. One step
    for reporter roles (granted now when the account exists); otherwise pending, and the
    approvers are told. ``valid_until`` ends the membership it grants (a candidate's
    election period). Raises PermissionDenied when ``requested_by`` may not ask for it or
    asks for themselves."""
    role = Role(role)
    if not may_request(requested_by, organisation=organisation, role=role):
        raise PermissionDenied
    email = (user.email if user is not None else email).lower()
    if is_self(requested_by, user=user, email=email):
        raise PermissionDenied(_("U kunt uzelf geen rol geven."))
    four_eyes = RULES[role].four_eyes
    now = timezone.now()
    with transaction.atomic():
        mreq = MembershipRequest.objects.create(
            organisation=organisation,
            role=role,
            position=position if role in POSITION_ROLES else "",
            email=email,
            user=user,
            invitation=invitation,
            requested_by=requested_by,
            requested_at=now,
            valid_until=valid_until,
            four_eyes=four_eyes,
            decision=RequestDecision.PENDING if four_eyes else RequestDecision.APPROVED,
            decided_by=None if four_eyes else requested_by,
            decided_at=None if four_eyes else now,
        )
        audit.record(
            AuditAction.MEMBERSHIP_REQUESTED,
            actor=requested_by,
            obj=mreq,
            request=http_request,
            organisation=organisation,
            role=role,
            four_eyes=four_eyes,
        )
        if four_eyes:
            _tell_approvers(mreq)
        elif user is not None:
            _grant(mreq, actor=requested_by, http_request=http_request)
    return mreq


def _locked(mreq):
    return (
        MembershipRequest.objects.select_for_update(of=("self",))
        .select_related("organisation", "user", "requested_by")
        .get(pk=mreq.pk)
    )


def _check_decider(actor, mreq):
    if not mreq.is_pending:
        raise ValidationError(_("Over deze aanvraag is al besloten."), code="decided")
    if not may_approve(actor, organisation=mreq.organisation, role=mreq.role):
        raise PermissionDenied
    if mreq.requested_by_id == actor.pk:
        raise PermissionDenied(_("U kunt uw eigen aanvraag niet goedkeuren of weigeren."))
    if is_self(actor, user=mreq.user, email=mreq.email):
        raise PermissionDenied(_("U kunt niet besluiten over een rol voor uzelf."))


def _decide(mreq, *, approver, decision, reason, action, http_request):
    """Record a second person's decision on a locked, pending request, and audit it."""
    _check_decider(approver, mreq)
    mreq.decision = decision
    mreq.decided_by = approver
    mreq.decided_at = timezone.now()
    mreq.reason = reason
    mreq.save(update_fields=["decision", "decided_by", "decided_at", "reason"])
    audit.record(
        action,
        actor=approver,
        obj=mreq,
        request=http_request,
        organisation=mreq.organisation,
        role=mreq.role,
    )


def approve(*, approver, membership_request, reason="", http_request=None):
    """The second person's approval. The role takes effect now when the grantee has an
    account, or when they accept their invitation."""
    with transaction.atomic():
        mreq = _locked(membership_request)
        _decide(
            mreq,
            approver=approver,
            decision=RequestDecision.APPROVED,
            reason=reason,
            action=AuditAction.MEMBERSHIP_APPROVED,
            http_request=http_request,
        )
        _tell_requester(mreq, _("Uw aanvraag voor een rol is goedgekeurd."))
        if mreq.user is not None:
            _grant(mreq, actor=approver, http_request=http_request)
    return mreq


def refuse(*, approver, membership_request, reason, http_request=None):
    """Refuse a pending request, with a reason; an open invitation for it can no longer
    be used."""
    if not reason.strip():
        raise ValidationError(_("Geef aan waarom u de aanvraag weigert."), code="reason")
    with transaction.atomic():
        mreq = _locked(membership_request)
        _decide(
            mreq,
            approver=approver,
            decision=RequestDecision.REFUSED,
            reason=reason,
            action=AuditAction.MEMBERSHIP_REFUSED,
            http_request=http_request,
        )
        _tell_requester(mreq, _("Uw aanvraag voor een rol is geweigerd."))
    return mreq


def accept(*, invitation, user, http_request=None):
    """The invitee accepted: tie the request to their account; grant it if approved.
    Returns the request. Call inside the acceptance's transaction."""
    mreq = getattr(invitation, "membership_request", None)
    if mreq is None:
        # An invitation sent before requests existed: asked for by its inviter, with the
        # table's four eyes (the inviter's right was checked when it was sent).
        four_eyes = RULES[Role(invitation.role)].four_eyes
        mreq = MembershipRequest.objects.create(
            organisation=invitation.organisation,
            role=invitation.role,
            position=invitation.position,
            email=invitation.email,
            invitation=invitation,
            requested_by=invitation.invited_by,
            requested_at=invitation.created_at,
            four_eyes=four_eyes,
            decision=RequestDecision.PENDING if four_eyes else RequestDecision.APPROVED,
            decided_by=None if four_eyes else invitation.invited_by,
            decided_at=None if four_eyes else timezone.now(),
        )
    mreq = _locked(mreq)
    if mreq.decision == RequestDecision.REFUSED:
        raise ValidationError(_("Deze uitnodiging is ingetrokken."), code="refused")
    if mreq.four_eyes and user.pk in (mreq.requested_by_id, mreq.decided_by_id):
        raise ValidationError(_("U kunt uzelf geen rol geven."), code="self")
    mreq.user = user
    mreq.save(update_fields=["user"])
    if mreq.decision == RequestDecision.APPROVED:
        _grant(mreq, actor=user, http_request=http_request)
    return mreq


def _grant(mreq, *, actor, http_request=None):
    with membership_service_write():
        membership = Membership.objects.create(
            user=mreq.user,
            organisation=mreq.organisation,
            role=mreq.role,
            position=mreq.position,
            valid_until=mreq.valid_until,
        )
    mreq.membership = membership
    mreq.save(update_fields=["membership"])
    audit.record(
        AuditAction.MEMBERSHIP_GRANTED,
        actor=actor,
        obj=membership,
        request=http_request,
        organisation=mreq.organisation,
        role=mreq.role,
        membership_request=mreq.pk,
        approved_by=mreq.decided_by_id,
    )
    if mreq.role == Role.FUNCTIONEEL_BEHEERDER:
        # The admin opens for an approved functioneel beheerder, and only for one.
        User.objects.filter(pk=mreq.user_id).update(is_staff=True, is_superuser=True)
    _forget_memberships(mreq.user)
    if mreq.role in SENSITIVE_ROLES:
        _tell_triagers(mreq)
    return membership


def end(*, membership, actor, reason="", http_request=None, at=None):
    """End a membership now (or at ``at``). Whoever may ask for the role may end it, and so
    may its holder; ``actor=None`` is the operator (``erase_person``)."""
    if (
        actor is not None
        and actor.pk != membership.user_id
        and not may_request(actor, organisation=membership.organisation, role=membership.role)
    ):
        raise PermissionDenied
    at = at or timezone.now()
    with transaction.atomic(), membership_service_write():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.valid_until is not None and locked.valid_until <= at:
            return locked
        locked.valid_until = at
        locked.save(update_fields=["valid_until"])
        audit.record(
            AuditAction.MEMBERSHIP_ENDED,
            actor=actor,
            obj=locked,
            request=http_request,
            organisation=locked.organisation,
            role=locked.role,
            reason=reason[:200],
        )
        if locked.role == Role.FUNCTIONEEL_BEHEERDER and not (
            Membership.objects.active(at)
            .filter(user_id=locked.user_id, role=Role.FUNCTIONEEL_BEHEERDER)
            .exists()
        ):
            User.objects.filter(pk=locked.user_id).update(is_staff=False, is_superuser=False)
    return locked


def end_all(*, user, actor=None, reason="", at=None):
    """End every membership ``user`` holds now (erasure of the account)."""
    at = at or timezone.now()
    ended = [
        end(membership=m, actor=actor, reason=reason, at=at)
        for m in Membership.objects.filter(user=user).active(at).select_related("organisation")
    ]
    _forget_memberships(user)
    return ended


def seed(*, user, organisation, role, position="", valid_from=None, valid_until=None, source):
    """A membership the system makes without a person asking (demo accounts, test fixtures):
    recorded as a request approved by the system, with ``source`` saying which. Never called
    from a view. An identical membership in force is returned as is."""
    with transaction.atomic():
        existing = (
            Membership.objects.active()
            .filter(user=user, organisation=organisation, role=role, position=position)
            .first()
        )
        if existing is not None and valid_from is None and valid_until is None:
            return existing
        now = timezone.now()
        with membership_service_write():
            membership = Membership.objects.create(
                user=user,
                organisation=organisation,
                role=role,
                position=position,
                valid_from=valid_from or now,
                valid_until=valid_until,
            )
        MembershipRequest.objects.create(
            organisation=organisation,
            role=role,
            position=position,
            email=user.email,
            user=user,
            four_eyes=False,
            decision=RequestDecision.APPROVED,
            decided_at=now,
            reason=source,
            membership=membership,
        )
        audit.record(
            AuditAction.MEMBERSHIP_SEEDED,
            obj=membership,
            organisation=organisation,
            role=role,
            source=source,
        )
    _forget_memberships(user)
    return membership


def seed_many(memberships, *, source, batch_size=2000):
    """Many system memberships in one go (the load generator): unsaved ``Membership``
    objects, written in batches, with one audit line for the lot."""
    with membership_service_write():
        created = Membership.objects.bulk_create(memberships, batch_size=batch_size)
    audit.record(AuditAction.MEMBERSHIP_SEEDED, source=source, count=len(created))
    return created


def _link():
    return reverse("membership_requests")


def _tell_approvers(mreq):
    people = set(approver_ids(organisation=mreq.organisation, role=mreq.role)) - {
        mreq.requested_by_id,
        mreq.user_id,
    }
    notify_many(
        people,
        kind="weerbaar.membership_request",
        subject=_("Een rolaanvraag wacht op uw goedkeuring"),
        body=_(
            "Iemand heeft de rol %(role)s bij %(organisation)s aangevraagd. De rol gaat pas "
            "in als een tweede persoon die goedkeurt. Log in om de aanvraag te bekijken."
        )
        % {"role": mreq.label, "organisation": mreq.organisation.name},
        link=_link(),
        dedupe_key=f"membership-request:{mreq.pk}",
    )


def _tell_requester(mreq, subject):
    if mreq.requested_by_id is None:
        return
    notify_many(
        [mreq.requested_by_id],
        kind="weerbaar.membership_decision",
        subject=subject,
        body=_("Het besluit over de rol %(role)s bij %(organisation)s staat in het portaal.")
        % {"role": mreq.label, "organisation": mreq.organisation.name},
        link=_link(),
        dedupe_key=f"membership-decision:{mreq.pk}",
    )


def _tell_triagers(mreq):
    """Everyone who already holds a triage role in the organisation learns that someone new
    reads their route's meldingen from now on (no case content)."""
    people = (
        Membership.objects.active()
        .filter(organisation=mreq.organisation, role__in=SENSITIVE_ROLES)
        .exclude(role=Role.FUNCTIONEEL_BEHEERDER)
        .exclude(user_id=mreq.user_id)
        .values_list("user_id", flat=True)
        .distinct()
    )
    notify_many(
        list(people),
        kind="weerbaar.membership_granted",
        subject=_("Iemand nieuw ziet de meldingen van uw organisatie"),
        body=_(
            "%(name)s is nu %(role)s bij %(organisation)s en ziet vanaf nu de meldingen en "
            "zaken die bij deze rol horen. Klopt dit niet? Neem dan contact op met de "
            "functioneel beheerder."
        )
        % {
            "name": mreq.user.get_full_name(),
            "role": mreq.label,
            "organisation": mreq.organisation.name,
        },
        link=_link(),
        dedupe_key=f"membership-granted:{mreq.pk}",
    )
