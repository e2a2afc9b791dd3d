"""Evaluations by the people named on a driehoek registration. They need not have an
account, so the request carries a signed link per person: it names the registration and
the role (burgemeester, griffier, secretaris), nothing else, and runs out after
``LINK_DAYS``. Each person evaluates once; a second answer replaces the first."""

from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from weerbaar import audit
from weerbaar.constants import AuditAction

from ..constants import RegistrationStatus, SessionStatus
from ..errors import Refused
from ..models import Evaluation, Registration

__all__ = [
    "LINK_DAYS",
    "ROLES",
    "evaluation_link",
    "registration_for_token",
    "submit_named_evaluation",
]

ROLES = ("burgemeester", "griffier", "secretaris")
LINK_DAYS = 30
_SALT = "otwb.named-evaluation"


def evaluation_link(registration_id, role):
    token = signing.dumps([registration_id, role], salt=_SALT, compress=True)
    return reverse("otwb:evaluate_named", args=[token])


def registration_for_token(token):
    """(registration, role) of a valid link to a held session; None otherwise."""
    try:
        registration_id, role = signing.loads(token, salt=_SALT, max_age=timedelta(days=LINK_DAYS))
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if role not in ROLES:
        return None
    registration = (
        Registration.objects.select_related("session")
        .filter(
            pk=registration_id,
            status=RegistrationStatus.CONFIRMED,
            session__status=SessionStatus.HELD,
        )
        .first()
    )
    return (registration, role) if registration else None


def submit_named_evaluation(registration, role, *, overall, usefulness, trainers, comment=""):
    if role not in ROLES:
        raise Refused(_("Deze link is niet geldig."))
    with transaction.atomic():
        evaluation, created = Evaluation.objects.update_or_create(
            session=registration.session,
            respondent_key=f"r{registration.pk}:{role}",
            defaults={
                "overall": overall,
                "usefulness": usefulness,
                "trainers": trainers,
                "comment": comment,
            },
        )
        audit.record(
            AuditAction.CREATE if created else AuditAction.UPDATE,
            actor=None,
            obj=evaluation,
            role=role,
        )
        return evaluation
