"""When the overdue-agreement sweep next has something to do for an agreement.

``FollowUpAgreement.flag_on`` is the day after ``due_on`` while the agreement is open and
was not flagged; empty otherwise. The sweep selects on it through a partial index of the
rows where it is set, so a run with nothing due reads an empty index range however many
agreements are open (as ``incidents.reminders`` does for the meldingen).

It is written by the write path (``services.trajecten``: set when the agreement is made,
cleared when it is done, in the same statement), by the sweep (cleared for the agreements it
flagged, in the transaction of the chunk; set again from their state for those it found
not due after all), and in bulk (``refresh``) by what writes rows without the services:
the load data, the bench's due maker and the migration that added the column. It may be
earlier than the day it stands for, never later: the sweep still tests the full
condition."""

from datetime import timedelta

from django.db.models import Case, DateField, Exists, F, OuterRef, Q, When

from .constants import SweepKind
from .models import FollowUpAgreement, SweepRecord

__all__ = ["agreement_flag", "refresh"]


def agreement_flag():
    """The column as an expression over an agreement's row, for ``update()``."""
    flagged = SweepRecord.objects.filter(
        object_type=FollowUpAgreement._meta.model_name,
        object_id=OuterRef("pk"),
        kind=SweepKind.AGREEMENT_OVERDUE,
    )
    return Case(
        When(Q(done_at__isnull=True) & ~Exists(flagged), then=F("due_on") + timedelta(days=1)),
        default=None,
        output_field=DateField(),
    )


def refresh(agreements):
    """Write the column of the agreements of the queryset ``agreements`` from their state,
    in one statement; returns how many rows it wrote."""
    return agreements.update(flag_on=agreement_flag())
