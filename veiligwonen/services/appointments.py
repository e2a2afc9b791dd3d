"""The adviser's diary: an intake or a woningscan takes a slot, and no adviser has two
appointments whose slots overlap. Held intakes and done scans no longer take a slot; a
closed application frees its appointments."""

from datetime import timedelta

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..constants import CLOSED, INTAKE_SLOT_MINUTES, SCAN_SLOT_MINUTES
from ..models import Application
from ..workflow import TransitionNotAllowed

__all__ = ["INTAKE", "SCAN", "check_free", "check_not_before"]

INTAKE = timedelta(minutes=INTAKE_SLOT_MINUTES)
SCAN = timedelta(minutes=SCAN_SLOT_MINUTES)
# pg advisory lock namespace ("VWAD"): one diary per adviser, serialised while booking.
LOCK_NAMESPACE = 1448557892


def _when(moment):
    return date_format(timezone.localtime(moment), "j F Y H:i")


def _overlapping(start, length):
    """Q for an appointment (intake or scan, still to happen) overlapping [start, start+length)."""
    end = start + length
    intake = Q(
        intake_planned_for__lt=end,
        intake_planned_for__gt=start - INTAKE,
        intake_held_at__isnull=True,
    )
    scan = Q(scan_planned_for__lt=end, scan_planned_for__gt=start - SCAN, scan_done_at__isnull=True)
    return intake | scan


def check_free(adviser, start, length, *, application, field="when"):
    """Refuse when ``adviser`` already has an appointment overlapping the new slot. Runs in
    the caller's transaction, holding a lock on the adviser's diary until it commits, so two
    officers booking the same hour at once cannot both succeed. SQLite (``make run``) has
    no advisory locks and needs none: it writes one transaction at a time (IMMEDIATE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, adviser.pk])
    clash = (
        Application.objects.filter(adviser=adviser)
        .exclude(pk=application.pk)
        .exclude(status__in=CLOSED)
        .filter(_overlapping(start, length))
        .order_by("intake_planned_for")
        .first()
    )
    if clash is None:
        return
    taken = clash.intake_planned_for if clash.intake_held_at is None else clash.scan_planned_for
    raise TransitionNotAllowed(
        _(
            "%(adviseur)s heeft op %(tijd)s al een afspraak. Kies een ander tijdstip of een "
            "andere adviseur."
        )
        % {"adviseur": adviser, "tijd": _when(taken)},
        field=field,
    )


def check_not_before(planned, now, *, what):
    """Refuse to record an appointment that has not yet begun."""
    if planned is not None and now < planned:
        raise TransitionNotAllowed(
            _(
                "%(wat)s is gepland op %(tijd)s. U kunt het vastleggen vanaf dat moment; "
                "wat u heeft ingevuld staat er nog."
            )
            % {"wat": what, "tijd": _when(planned)}
        )
