"""The reporter's self-declared gender (issue 23): asked once, changed or removed by the
person on their own details page, read by nobody but the monitor's aggregates.

The one write path locks the row, and records in the audit log *that* the answer changed
(``fields=["gender"]``), never what it was or became: an answer, a removal and "not now"
leave the same line."""

from django.db import transaction
from django.utils import timezone

from . import audit
from .constants import REPORTER_ROLES, AuditAction, Gender
from .models import GenderDeclaration

__all__ = ["declare_gender", "declared_gender", "is_asked"]


def is_asked(user):
    """Whether the start page puts the question: to someone who reports (the monitor counts
    meldingen by their reporter) and has not answered or waved it away before."""
    if not any(m.role in REPORTER_ROLES for m in user.active_memberships):
        return False
    return not GenderDeclaration.objects.filter(user=user).exists()


def declared_gender(user):
    """The person's own answer ("" when none), for their own details page only."""
    row = GenderDeclaration.objects.filter(user=user).values_list("gender", flat=True).first()
    return row or ""


@transaction.atomic
def declare_gender(user, gender, *, request=None):
    """Store ``gender`` (a ``Gender`` value, or "" for no answer / removal); returns
    whether anything changed."""
    if gender and gender not in Gender.values:
        raise ValueError("unknown gender")
    row, created = GenderDeclaration.objects.select_for_update().get_or_create(
        user=user, defaults={"gender": gender}
    )
    if not created:
        if row.gender == gender:
            return False
        row.gender = gender
        row.answered_at = timezone.now()
        row.save(update_fields=["gender", "answered_at"])
    audit.record(AuditAction.UPDATE, actor=user, obj=user, request=request, fields=["gender"])
    return True
