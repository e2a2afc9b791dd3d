"""Retention: a closed melding is anonymised after ``INCIDENTS_RETENTION_DAYS`` (default
five years). What identifies or tells the story goes; the plain columns the statistics
count (category, channel, position, organisation, dates, severity) stay; the link to the
reporter, the filer and the people who handled it goes too (the audit log keeps its own
record under its own rules)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from weerbaar import audit, search
from weerbaar.constants import AuditAction
from weerbaar.sweeps import run

from ..constants import Status
from ..models import (
    AftercareAction,
    Attachment,
    InternalNote,
    Melding,
    MeldingUserObjectPermission,
    Message,
    PerpetratorAction,
    TimelineEntry,
)
from ..models.melding import FREE_TEXT

__all__ = ["anonymise_due", "due_for_anonymisation", "retention_days"]


def retention_days():
    return getattr(settings, "INCIDENTS_RETENTION_DAYS", 5 * 365)


def due_for_anonymisation(now=None):
    now = now or timezone.now()
    return Melding.objects.filter(
        status=Status.CLOSED,
        anonymised_at__isnull=True,
        closed_at__lte=now - timedelta(days=retention_days()),
    )


CHUNK = 200


def anonymise_due(*, now=None):
    """Anonymise every melding past its retention, a chunk per transaction (the sweep
    runner's); returns how many. A crash rolls back one chunk, which the next run finds due
    again; a melding that cannot be anonymised is held back and reported, not the rest."""
    now = now or timezone.now()
    ids = list(due_for_anonymisation(now).order_by("pk").values_list("pk", flat=True))
    with run("incidents-anonymise-expired", now=now) as sweep:
        return sweep.act(ids, lambda chunk: _anonymise(chunk, now), model=Melding, chunk=CHUNK)


def _anonymise(ids, now):
    rows = list(
        due_for_anonymisation(now)
        .select_for_update(skip_locked=True)
        .filter(pk__in=ids)
        .only("pk", "route_organisation")
    )
    if not rows:
        return 0
    pks = [m.pk for m in rows]
    Melding.objects.filter(pk__in=pks).update(
        **dict.fromkeys(FREE_TEXT, ""),
        help_wanted=[],
        reporter=None,
        filed_by=None,
        assigned_to=None,
        anonymised_at=now,
    )
    for model in (Attachment, Message, InternalNote):
        model.objects.filter(melding__in=pks).delete()
    AftercareAction.objects.filter(melding__in=pks).update(note="")
    PerpetratorAction.objects.filter(melding__in=pks).update(result="")
    TimelineEntry.objects.filter(melding__in=pks).update(actor=None)
    MeldingUserObjectPermission.objects.filter(content_object__in=pks).delete()
    # The reporter's name and the perpetrator text are gone: so are their search tokens.
    search.reindex("incidents.melding", pks)
    audit.record_many(
        [
            audit.event(AuditAction.PURGE, obj=m, organisation_id=m.route_organisation_id)
            for m in rows
        ]
    )
    return len(rows)
