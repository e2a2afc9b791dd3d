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
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import audit
from .constants import POSITION_ROLES, AuditAction, RequestDecision, Role
from .membership_rules import RULES, SENSITIVE_ROLES, approver_ids, may_approve, may_request
from .models import Membership, MembershipRequest, User
from .models.users import membership_service_write
from .notifications import Message, notify_batch, notify_many

__all__ = [
    "accept",
    "approve",
    "cancel_end",
    "end",
    "end_all",
    "is_self",
    "record_ends",
    "refuse",
    "request",
    "request_many",
    "seed",
    "seed_many",
    "send_end_notices",
    "withdraw",
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
    valid_from=None,
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
            valid_from=valid_from,
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


def request_many(*, requested_by, organisation, wanted, http_request=None):
    """``request`` for a whole list at once (a new council's invitations): ``wanted`` is a
    list of dicts with ``role``, ``position``, ``email``, ``invitation`` and ``valid_from``,
    for people who have no account yet. The same rules and audit lines as ``request``, in a
    few statements whatever the number. Returns the requests."""
    for role in {Role(w["role"]) for w in wanted}:
        if not may_request(requested_by, organisation=organisation, role=role):
            raise PermissionDenied
    if any(is_self(requested_by, email=w["email"]) for w in wanted):
        raise PermissionDenied(_("U kunt uzelf geen rol geven."))
    now = timezone.now()
    rows = []
    for w in wanted:
        role = Role(w["role"])
        four_eyes = RULES[role].four_eyes
        rows.append(
            MembershipRequest(
                organisation=organisation,
                role=role,
                position=w["position"] if role in POSITION_ROLES else "",
                email=w["email"].lower(),
                invitation=w["invitation"],
                requested_by=requested_by,
                requested_at=now,
                valid_from=w.get("valid_from"),
                four_eyes=four_eyes,
                decision=RequestDecision.PENDING if four_eyes else RequestDecision.APPROVED,
                decided_by=None if four_eyes else requested_by,
                decided_at=None if four_eyes else now,
            )
        )
    with transaction.atomic():
        created = MembershipRequest.objects.bulk_create(rows)
        audit.record_many(
            [
                audit.event(
                    AuditAction.MEMBERSHIP_REQUESTED,
                    actor=requested_by,
                    obj=mreq,
                    request=http_request,
                    organisation=organisation,
                    role=mreq.role,
                    four_eyes=mreq.four_eyes,
                )
                for mreq in created
            ]
        )
        for mreq in created:
            if mreq.four_eyes:
                _tell_approvers(mreq)
    return created


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


def withdraw(*, actor, membership_request, reason, http_request=None):
    """Withdraw a request that has not yet given anyone a role (its invitation was revoked):
    whoever may ask for the role may withdraw it. Recorded as refused, with no decider (the
    four-eyes constraint: the requester never decides their own request)."""
    with transaction.atomic():
        mreq = _locked(membership_request)
        if not may_request(actor, organisation=mreq.organisation, role=mreq.role):
            raise PermissionDenied
        if mreq.membership_id is not None or mreq.decision == RequestDecision.REFUSED:
            return mreq
        mreq.decision = RequestDecision.REFUSED
        mreq.decided_by = None
        mreq.decided_at = timezone.now()
        mreq.reason = reason
        mreq.save(update_fields=["decision", "decided_by", "decided_at", "reason"])
        audit.record(
            AuditAction.MEMBERSHIP_REFUSED,
            actor=actor,
            obj=mreq,
            request=http_request,
            organisation=mreq.organisation,
            role=mreq.role,
            withdrawn=True,
        )
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
            valid_from=mreq.valid_from or timezone.now(),
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


def end(*, membership, actor, reason="", http_request=None, at=None, former=None, tell=True):
    """End a membership now, or plan its end at ``at`` later. Whoever may ask for the role
    may end it, and so may its holder; ``actor=None`` is the operator (``erase_person``).

    An end now is recorded at once (``_record_end``). A planned end is audited as planned
    ("einde gepland"); the term-of-office sweep records it at its date (``record_ends``),
    so "membership ended" is audited when the role really goes. The role itself stops at
    ``valid_until`` either way (``Membership.objects.active``). An end can be moved earlier,
    never later. ``former`` says whether an office holder goes on as a former one (the
    griffier's choice; default: yes); ``tell=False`` ends without telling the holder (an
    erased account)."""
    if (
        actor is not None
        and actor.pk != membership.user_id
        and not may_request(actor, organisation=membership.organisation, role=membership.role)
    ):
        raise PermissionDenied
    now = timezone.now()
    at = at or now
    with transaction.atomic(), membership_service_write():
        locked = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("organisation", "user")
            .get(pk=membership.pk)
        )
        if locked.valid_until is not None and locked.valid_until <= at:
            return locked
        locked.valid_until = at
        if former is not None:
            locked.former_after_end = former
        if not tell:
            locked.end_notice_at = now
        locked.save(update_fields=["valid_until", "former_after_end", "end_notice_at"])
        if at > now:
            audit.record(
                AuditAction.MEMBERSHIP_END_PLANNED,
                actor=actor,
                obj=locked,
                request=http_request,
                organisation=locked.organisation,
                role=locked.role,
                reason=reason[:200],
                until=at.isoformat(),
                former=locked.former_after_end,
            )
        else:
            _record_end(locked, actor=actor, reason=reason, http_request=http_request, now=now)
    _forget_memberships(membership.user)
    return locked


def cancel_end(*, membership, actor, http_request=None):
    """Take back an end planned for a later date (the person was re-elected after all).
    Raises ValidationError once the date has come."""
    if actor.pk != membership.user_id and not may_request(
        actor, organisation=membership.organisation, role=membership.role
    ):
        raise PermissionDenied
    with transaction.atomic(), membership_service_write():
        locked = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=membership.pk)
        )
        until = locked.valid_until
        if until is None or until <= timezone.now() or locked.ended_recorded_at is not None:
            raise ValidationError(_("Dit einde kan niet meer worden ingetrokken."), code="ended")
        locked.valid_until = None
        locked.end_notice_at = None
        locked.save(update_fields=["valid_until", "end_notice_at"])
        audit.record(
            AuditAction.MEMBERSHIP_END_CANCELLED,
            actor=actor,
            obj=locked,
            request=http_request,
            organisation=locked.organisation,
            role=locked.role,
            until=until.isoformat(),
        )
    return locked


def _record_end(locked, *, actor, now, reason="", http_request=None):
    """The end of one locked membership whose ``valid_until`` has come (an end now)."""
    _record_ends([locked], actor=actor, now=now, reason=reason, http_request=http_request)


def _record_ends(due, *, actor, now, reason="", http_request=None):
    """The ends of locked memberships whose ``valid_until`` has come, in a few statements
    whatever their number: each audited once as ended, the admin closed for a last
    functioneel beheerder role, each office holder continued as a former one (unless the
    griffier chose otherwise), and the holders not told in advance told now."""
    pks = [m.pk for m in due]
    Membership.objects.filter(pk__in=pks).update(ended_recorded_at=now)
    audit.record_many(
        [
            audit.event(
                AuditAction.MEMBERSHIP_ENDED,
                actor=actor,
                obj=m,
                request=http_request,
                organisation_id=m.organisation_id,
                role=m.role,
                reason=reason[:200],
                until=m.valid_until.isoformat(),
            )
            for m in due
        ]
    )
    for m in due:
        m.ended_recorded_at = now
        if m.role == Role.FUNCTIONEEL_BEHEERDER and not (
            Membership.objects.active(now)
            .filter(user_id=m.user_id, role=Role.FUNCTIONEEL_BEHEERDER)
            .exists()
        ):
            User.objects.filter(pk=m.user_id).update(is_staff=False, is_superuser=False)
    continued = _continue_as_former(
        [
            m
            for m in due
            if m.role == Role.OFFICE_HOLDER and m.former_after_end and m.user.is_active
        ],
        now=now,
    )
    untold = [m for m in due if m.end_notice_at is None]
    if untold:
        Membership.objects.filter(pk__in=[m.pk for m in untold]).update(end_notice_at=now)
        notify_batch([_holder_message(m, ended=True, former=m.pk in continued) for m in untold])


def _continue_as_former(ended, *, now):
    """Former office holders' memberships for ``ended``: same organisation, same position,
    from the end on, recorded as granted by the system (``source``) with the ended one
    named. Returns the pks of the ended memberships that have one (made now or before)."""
    if not ended:
        return set()
    existing = set(
        Membership.objects.active(now)
        .filter(user_id__in={m.user_id for m in ended}, role=Role.FORMER_OFFICE_HOLDER)
        .values_list("user_id", "organisation_id", "position")
    )
    fresh = {}
    for m in ended:
        key = (m.user_id, m.organisation_id, m.position)
        if key not in existing and key not in fresh:
            fresh[key] = m
    made = Membership.objects.bulk_create(
        [
            Membership(
                user_id=m.user_id,
                organisation_id=m.organisation_id,
                role=Role.FORMER_OFFICE_HOLDER,
                position=m.position,
                valid_from=m.valid_until,
            )
            for m in fresh.values()
        ]
    )
    pairs = list(zip(fresh.values(), made, strict=True))
    MembershipRequest.objects.bulk_create(
        [
            MembershipRequest(
                organisation_id=m.organisation_id,
                role=Role.FORMER_OFFICE_HOLDER,
                position=m.position,
                email=m.user.email,
                user_id=m.user_id,
                four_eyes=False,
                decision=RequestDecision.APPROVED,
                decided_at=now,
                reason="term_of_office",
                membership=former,
            )
            for m, former in pairs
        ]
    )
    audit.record_many(
        [
            audit.event(
                AuditAction.MEMBERSHIP_GRANTED,
                obj=former,
                organisation_id=m.organisation_id,
                role=Role.FORMER_OFFICE_HOLDER,
                source="term_of_office",
                succeeds=m.pk,
            )
            for m, former in pairs
        ]
    )
    return {m.pk for m in ended}


def _claim(ids, **conditions):
    """Those of ``ids`` meeting ``conditions``, locked; rows a concurrent run holds are
    skipped (and, once it committed, no longer meet the conditions)."""
    return list(
        Membership.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk__in=ids, **conditions)
        .select_related("organisation", "user")
        .order_by("pk")
    )


def record_ends(ids, *, now):
    """Record the end of those of ``ids`` whose date has come and whose end nobody recorded
    yet; returns how many this call recorded. Exactly once: each row is claimed under a
    lock (``_claim``). Call it inside a transaction (the sweep runner's)."""
    with membership_service_write():
        due = _claim(ids, ended_recorded_at__isnull=True, valid_until__lte=now)
        if due:
            _record_ends(due, actor=None, now=now)
    return len(due)


def send_end_notices(ids, *, now, horizon):
    """Tell the holders of those of ``ids`` ending before ``horizon`` (and not yet ended)
    that their role ends, once (``end_notice_at``, claimed as in ``record_ends``). Returns
    how many were told. Call it inside a transaction."""
    with membership_service_write():
        due = _claim(
            ids,
            end_notice_at__isnull=True,
            ended_recorded_at__isnull=True,
            valid_until__gt=now,
            valid_until__lte=horizon,
            user__is_active=True,
        )
        if due:
            Membership.objects.filter(pk__in=[m.pk for m in due]).update(end_notice_at=now)
            notify_batch(
                [
                    _holder_message(
                        m,
                        ended=False,
                        former=m.role == Role.OFFICE_HOLDER and m.former_after_end,
                    )
                    for m in due
                ]
            )
    return len(due)


def end_all(*, user, actor=None, reason="", at=None):
    """End every membership ``user`` holds now (erasure of the account): no former office
    holder follows, and nobody is told."""
    at = at or timezone.now()
    ended = [
        end(membership=m, actor=actor, reason=reason, at=at, former=False, tell=False)
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


def _holder_message(membership, *, ended, former):
    """What the holder learns when their role ends (in advance, or at the end when it
    ended at once) and what stays: their own meldingen and messages. No case content."""
    values = {
        "role": membership.label,
        "organisation": membership.organisation.name,
        "date": date_format(timezone.localtime(membership.valid_until), "j F Y"),
    }
    if ended:
        subject = _("Uw rol in het portaal is beëindigd")
        first = _("Uw rol als %(role)s bij %(organisation)s is beëindigd per %(date)s.")
    else:
        subject = _("Uw rol in het portaal eindigt binnenkort")
        first = _("Uw rol als %(role)s bij %(organisation)s eindigt op %(date)s.")
    lines = [
        first % values,
        _(
            "U houdt toegang tot uw eigen meldingen en de berichten daarbij. Log in om ze te "
            "bekijken."
        ),
    ]
    if former:
        lines.append(
            _(
                "Overkomt u daarna iets vanwege dit ambt, dan kunt u het blijven melden als "
                "oud-ambtsdrager bij %(organisation)s."
            )
            % values
        )
    return Message(
        [membership.user_id],
        kind="weerbaar.membership_end",
        subject=subject,
        body="\n\n".join(str(line) for line in lines),
        link=reverse("home"),
        # Per end date: an end taken back and planned again is announced again.
        dedupe_key=f"membership-end:{membership.pk}:{membership.valid_until:%Y%m%d%H%M}",
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
