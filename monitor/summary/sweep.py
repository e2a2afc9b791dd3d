"""The sweep that keeps the summary current (beat entry ``monitor-summary``, every 15
minutes), and the full rebuild (``manage.py rebuild_monitor_summary``, and the sweep itself
once a day).

Each run rebuilds whole months: the current month and the two before it (where meldingen
are acknowledged, escalated, reported to the police), every month with a melding that was
sent, acknowledged, closed, written in its timeline or given an aangifte status since the
last complete run, and the months of the meldingen of reporters whose declared gender
changed since then. A month is counted with one query per figure, then written per
organisation-month through the sweep runner (a chunk of organisation-months per
transaction, one at a time when a chunk fails), so a reader never sees half an
organisation-month, and one that cannot be written is recorded as a ``SweepFailure`` and
retried while the others are written. Rebuilding a month twice gives the same rows.

``SummaryState.refreshed_at`` moves to the start of the run only when nothing is left
failed: the page's "bijgewerkt op" is a moment up to which every organisation-month is
known to be current. Changes that leave no timestamp behind (a category corrected, a
reporter erased) are counted at the next daily full rebuild."""

from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Min
from django.db.models.functions import TruncMonth
from django.utils import timezone

from incidents.models import Aangifte, Melding, TimelineEntry
from weerbaar import sweeps
from weerbaar.models import GenderDeclaration, SweepFailure

from ..models import SummaryCell, SummaryState
from ..selection import first_of_month, months_between
from .build import PEOPLE_CAP, month_rows

__all__ = ["FULL_EVERY", "RECENT_MONTHS", "SWEEP", "refresh"]

SWEEP = "monitor-summary"
RECENT_MONTHS = 3
FULL_EVERY = timedelta(days=1)


def _months(qs, field):
    return {
        first_of_month(timezone.localtime(m) if hasattr(m, "tzinfo") else m)
        for m in qs.annotate(m=TruncMonth(field)).values_list("m", flat=True).distinct()
        if m is not None
    }


def _recent(now):
    today = timezone.localdate(now)
    months, month = [], first_of_month(today)
    for _i in range(RECENT_MONTHS):
        months.append(month)
        month = first_of_month(month - timedelta(days=1))
    return set(months)


def _touched(since):
    sent = "submitted_at"
    months = set()
    months |= _months(Melding.objects.filter(submitted_at__gte=since), sent)
    months |= _months(Melding.objects.filter(acknowledged_at__gte=since), sent)
    months |= _months(Melding.objects.filter(closed_at__gte=since), sent)
    months |= _months(
        Melding.objects.filter(
            pk__in=TimelineEntry.objects.filter(at__gte=since).values("melding")
        ),
        sent,
    )
    months |= _months(
        Melding.objects.filter(
            pk__in=Aangifte.objects.filter(status_changed_at__gte=since).values("melding")
        ),
        sent,
    )
    months |= _months(
        Melding.objects.filter(
            reporter__in=GenderDeclaration.objects.filter(answered_at__gte=since).values("user")
        ),
        sent,
    )
    return months


def _everything(now):
    first = Melding.objects.aggregate(first=Min("submitted_at"))["first"]
    months = set(SummaryCell.objects.values_list("month", flat=True).distinct())
    if first is not None:
        months |= set(months_between(timezone.localdate(first), timezone.localdate(now)))
    return months


def _failed_months():
    """Months of the organisation-months a run could not write and retries."""
    ids = SweepFailure.objects.open().filter(sweep=SWEEP).values_list("object_id", flat=True)
    return {date.fromisoformat(f"{pk.split(':')[1]}-01") for pk in ids}


def _case_id(case):
    organisation, month = case
    return f"{organisation}:{month:%Y-%m}"


def _rebuild_month(run, month):
    rows = month_rows(month)
    present = set(SummaryCell.objects.filter(month=month).values_list("organisation_id", flat=True))
    cases = [(organisation, month) for organisation in sorted(set(rows) | present)]

    def write(part):
        organisations = [organisation for organisation, _m in part]
        SummaryCell.objects.filter(month=month, organisation_id__in=organisations).delete()
        SummaryCell.objects.bulk_create(
            [cell for organisation in organisations for cell in rows.get(organisation, [])]
        )
        return len(part)

    run.act(cases, write, model=SummaryCell, key=_case_id)


def refresh(*, full=False, now=None):
    """Rebuild the months that may have changed (every month with ``full``, on the first
    run, and once every ``FULL_EVERY``); returns the number of organisation-months
    written. On SQLite (``make run``) the monitor counts live and nothing is built."""
    now = now or timezone.now()
    with sweeps.run(SWEEP, now=now) as run:
        if connection.vendor != "postgresql":
            return 0
        state, _created = SummaryState.objects.get_or_create(pk=1)
        full = (
            full
            or state.refreshed_at is None
            or state.people_cap != PEOPLE_CAP
            or state.rebuilt_at is None
            or now - state.rebuilt_at >= FULL_EVERY
        )
        if full:
            months = _everything(now)
        else:
            months = _recent(now) | _touched(state.refreshed_at) | _failed_months()
        for month in sorted(months):
            _rebuild_month(run, month)
        complete = not SweepFailure.objects.open().filter(sweep=SWEEP).exists()
        if complete:
            with transaction.atomic():
                state = SummaryState.objects.select_for_update().get(pk=1)
                # A slower run that started earlier must not set the moment back.
                if state.refreshed_at is None or state.refreshed_at < now:
                    state.refreshed_at = now
                if full:
                    state.rebuilt_at = now
                state.people_cap = PEOPLE_CAP
                state.save()
        return run.acted
