"""Retention: a closed melding is anonymised after ``INCIDENTS_RETENTION_DAYS`` (default
five years). What identifies or tells the story goes; the plain columns the statistics
count (category, channel, position, organisation, dates, severity) stay; the link to the
reporter, the filer and the people who handled it goes too (the audit log keeps its own
record under its own rules)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from weerbaar import audit
from weerbaar.constants import AuditAction

from ..constants import Status
from ..models import Melding, MeldingUserObjectPermission

__all__ = ["anonymise", "due_for_anonymisation", "retention_days"]


def retention_days():
    return getattr(settings, "INCIDENTS_RETENTION_DAYS", 5 * 365)


def due_for_anonymisation(now=None):
    now = now or timezone.now()
    return Melding.objects.filter(
        status=Status.CLOSED,
        anonymised_at__isnull=True,
        closed_at__lte=now - timedelta(days=retention_days()),
    )


@transaction.atomic
def anonymise(melding, *, now=None):
    """Erase the content of one closed melding; returns False if it no longer qualifies."""
    now = now or timezone.now()
    melding = (
        due_for_anonymisation(now).select_for_update(skip_locked=True).filter(pk=melding.pk).first()
    )
    if melding is None:
        return False
    melding.description = melding.perpetrator_details = melding.witnesses = ""
    melding.help_wanted = []
    melding.reporter = melding.filed_by = melding.assigned_to = None
    melding.anonymised_at = now
    melding.save()
    melding.attachments.all().delete()
    melding.messages.all().delete()
    melding.notes.all().delete()
    melding.aftercare.update(note="")
    melding.perpetrator_actions.update(result="")
    melding.timeline.update(actor=None)
    MeldingUserObjectPermission.objects.filter(content_object=melding).delete()
    audit.record(AuditAction.PURGE, obj=melding, organisation=melding.route_organisation)
    return True
