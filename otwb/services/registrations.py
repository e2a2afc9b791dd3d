"""Registering a gemeente's driehoek for a regional session.

The session row is locked for every registration and cancellation, so places are counted
one writer at a time: of seven simultaneous registrations for six places exactly one lands
on the waiting list, and a freed place goes to the first on the list in the same
transaction as the cancellation."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar import audit
from weerbaar.constants import AuditAction, OrganisationKind
from weerbaar.notifications import Message, notify_batch

from ..constants import RegistrationStatus
from ..errors import Refused
from ..models import Registration, Session
from .common import named_people, session_ics, session_link

__all__ = ["DRIEHOEK_FIELDS", "cancel_registration", "register_driehoek"]

DRIEHOEK_FIELDS = (
    "burgemeester_name",
    "burgemeester_email",
    "griffier_name",
    "griffier_email",
    "secretaris_name",
    "secretaris_email",
)


def _tell(registration, *, kind, subject):
    """Tell whoever registered and the three people named on the registration; a placed
    driehoek gets the session's .ics with it. Named people without an account get the
    email only, so its body stands on its own (and, as every email, names no case)."""
    placed = registration.status == RegistrationStatus.CONFIRMED
    user_ids, emails = named_people(registration)
    notify_batch(
        [
            Message(
                [registration.registered_by_id, *user_ids],
                kind=kind,
                subject=subject,
                body=(
                    _("De agenda-uitnodiging (.ics) zit als bijlage bij deze e-mail.")
                    if placed
                    else _("U krijgt bericht zodra er een plaats vrijkomt.")
                ),
                link=session_link(registration.session_id),
                dedupe_key=f"otwb:registration:{registration.pk}:{kind}",
                emails=emails,
                attachment=session_ics(registration.session_id) if placed else "",
            )
        ]
    )


def register_driehoek(session, organisation, *, people, actor, now=None):
    """``people`` holds the six DRIEHOEK_FIELDS; all are required."""
    now = now or timezone.now()
    if any(not (people.get(f) or "").strip() for f in DRIEHOEK_FIELDS):
        raise Refused(_("Vul voor de hele driehoek naam en e-mailadres in."))
    if organisation.kind != OrganisationKind.GEMEENTE:
        raise Refused(_("Alleen een gemeente kan een driehoek aanmelden."))
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if not session.takes_registrations or not session.is_open:
            raise Refused(_("Voor deze sessie kunt u zich niet aanmelden."))
        if now >= session.registration_closes_at:
            raise Refused(_("De aanmelding voor deze sessie is gesloten."))
        active = Registration.objects.filter(session=session).exclude(
            status=RegistrationStatus.CANCELLED
        )
        if active.filter(organisation=organisation).exists():
            raise Refused(_("Uw gemeente is al aangemeld voor deze sessie."))
        placed = active.filter(status=RegistrationStatus.CONFIRMED).count()
        status = (
            RegistrationStatus.CONFIRMED
            if placed < session.capacity
            else RegistrationStatus.WAITING
        )
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    session=session,
                    organisation=organisation,
                    status=status,
                    registered_by=actor,
                    **{f: people[f].strip() for f in DRIEHOEK_FIELDS},
                )
        except IntegrityError:
            raise Refused(_("Uw gemeente is al aangemeld voor deze sessie.")) from None
        audit.record(
            AuditAction.CREATE,
            actor=actor,
            obj=registration,
            organisation=organisation,
            status=status,
        )
        if status == RegistrationStatus.CONFIRMED:
            _tell(
                registration,
                kind="otwb.registration.confirmed",
                subject=_("Uw aanmelding is bevestigd"),
            )
        else:
            _tell(
                registration,
                kind="otwb.registration.waiting",
                subject=_("U staat op de wachtlijst"),
            )
        return registration


def cancel_registration(registration, *, actor, now=None):
    """Cancel; when a placed driehoek leaves, the first on the waiting list gets the place."""
    now = now or timezone.now()
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=registration.session_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            return registration, None
        was_placed = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        audit.record(
            AuditAction.UPDATE,
            actor=actor,
            obj=registration,
            organisation=registration.organisation,
            status=RegistrationStatus.CANCELLED,
        )
        promoted = None
        if was_placed and session.is_open:
            promoted = promote_first_waiting(session, actor=actor, now=now)
        return registration, promoted


def promote_first_waiting(session, *, actor, now):
    """Fill free places from the waiting list, oldest first. The session must be locked."""
    placed = Registration.objects.filter(
        session=session, status=RegistrationStatus.CONFIRMED
    ).count()
    if placed >= session.capacity:
        return None
    first = (
        Registration.objects.select_for_update()
        .filter(session=session, status=RegistrationStatus.WAITING)
        .order_by("created_at", "pk")
        .first()
    )
    if first is None:
        return None
    first.status = RegistrationStatus.CONFIRMED
    first.promoted_at = now
    first.save(update_fields=["status", "promoted_at"])
    audit.record(
        AuditAction.UPDATE, actor=actor, obj=first, organisation=first.organisation, promoted=True
    )
    _tell(
        first, kind="otwb.registration.promoted", subject=_("Er is een plaats voor u vrijgekomen")
    )
    return first
