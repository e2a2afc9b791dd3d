"""The sweep that keeps the summary current (beat entry ``monitor-summary``, every 15
minutes), and the full rebuild (``manage.py rebuild_monitor_summary``).

Each run rebuilds whole months: the current month and the two before it (where meldingen
are acknowledged, escalated, reported to the police), every month with a melding that was
sent, acknowledged, closed, written in its timeline or given an aangifte status since the
last complete run, the months of the meldingen of reporters whose declared gender changed
since then, months not built yet, and the month rebuilt longest ago (``ROTATE``), so that
every month is rebuilt twice a day in small steps. After ``BUDGET`` no further month
beyond the changed ones is started: a first build larger than one run carries on in the
next. A month is counted with one
query per figure, then written per organisation-month through the sweep runner (a chunk of
organisation-months per transaction, one at a time when a chunk fails), so a reader never
sees half an organisation-month, and one that cannot be written is recorded as a
``SweepFailure`` and retried while the others are written.
Rebuilding a month twice gives the same rows.

``SummaryState.refreshed_at`` moves to the start of the run only when nothing is left
failed: the page's "bijgewerkt op" is a moment up to which every organisation-month is
known to be current. Changes that leave no timestamp behind (a category corrected, a
reporter erased) are counted when the rotation rebuilds their month, within a day."""

import time
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Min
from django.db.models.functions import TruncMonth
from django.utils import timezone

from incidents.models import Aangifte, Melding, TimelineEntry
from weerbaar import sweeps
from weerbaar.models import GenderDeclaration, Organisation, SweepFailure

from ..aggregates.cube import last_month
from ..aggregates.quarters import own_times
from ..models import SummaryCell, SummaryDuration, SummaryGroupCell, SummaryMonth, SummaryState
from ..selection import KINDS, Period, first_of_month, months_between
from . import durations
from .build import PEOPLE_CAP, month_rows
from .state import groups_digest

__all__ = ["BUDGET", "RECENT_MONTHS", "ROTATE", "SWEEP", "refresh"]

SWEEP = "monitor-summary"
RECENT_MONTHS = 3
# Months rebuilt per run besides the changed ones, longest unbuilt first: 96 runs a day
# rebuild 96 months a day, every month of four years twice.
ROTATE = 1
# Celery stops a task after 4 minutes (CELERY_TASK_SOFT_TIME_LIMIT); no month is started
# after this.
BUDGET = timedelta(minutes=2)


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


def _rebuild_month(run, month, grouping):
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

    def write_groups(_part):
        SummaryGroupCell.objects.filter(month=month).delete()
        SummaryGroupCell.objects.bulk_create(_group_cells(rows, grouping, month))
        return 0

    run.act([("group", month)], write_groups, model=SummaryGroupCell, key=_case_id)


def _group_cells(rows, grouping, month):
    """The organisations' cells summed per group; the group's smallest person keys are
    among its organisations' smallest."""
    merged = {}
    for organisation, cells in rows.items():
        group = grouping.get(organisation)
        if group is None:
            continue
        for cell in cells:
            n, people = merged.setdefault((*group, cell.dimension, cell.key), [0, set()])
            merged[(*group, cell.dimension, cell.key)][0] = n + cell.n
            people.update(cell.people)
    return [
        SummaryGroupCell(
            kind=kind,
            province=province,
            month=month,
            dimension=dimension,
            key=key,
            n=n,
            people=sorted(people)[:PEOPLE_CAP],
        )
        for (kind, province, dimension, key), (n, people) in merged.items()
    ]


def refresh(*, full=False, now=None, budget=BUDGET):
    """Rebuild the months that may have changed, then those never built and ``ROTATE`` of
    the longest unbuilt others until ``budget`` has passed (at least one: a first build
    always advances); with ``full`` every month. Returns the number of organisation-months
    written. On SQLite (``make run``) the monitor counts live and nothing is built."""
    now = now or timezone.now()
    clock = time.monotonic()
    with sweeps.run(SWEEP, now=now) as run:
        if connection.vendor != "postgresql":
            return 0
        state = _state()
        grouping = {
            pk: (kind, province or 0)
            for pk, kind, province in Organisation.objects.filter(kind__in=KINDS).values_list(
                "pk", "kind", "province_id"
            )
        }
        built = dict(SummaryMonth.objects.values_list("month", "built_at"))
        every = _everything(now)
        if full:
            changed, missing, rotation = every, set(), []
        else:
            changed = _recent(now) | _failed_months()
            since = state.refreshed_at or min(built.values(), default=None)
            if since is not None:
                changed |= _touched(since)
            missing = every - set(built) - changed
            others = sorted(every - changed - missing, key=built.get)
            rotation = others[:ROTATE]
        budgeted = sorted(missing, reverse=True) + rotation
        done = set()
        for month in sorted(changed, reverse=True):
            _rebuild(run, month, now, grouping)
            done.add(month)
        for month in budgeted:
            if month in done:
                continue
            if done - changed and time.monotonic() - clock > budget.total_seconds():
                break
            _rebuild(run, month, now, grouping)
            done.add(month)
        for year in sorted({month.year for month in done}, reverse=True):
            _rebuild_durations(run, year, now)
        complete = missing <= done and not SweepFailure.objects.open().filter(sweep=SWEEP).exists()
        if complete:
            with transaction.atomic():
                state = SummaryState.objects.select_for_update().get(pk=1)
                # A slower run that started earlier must not set the moment back.
                if state.refreshed_at is None or state.refreshed_at < now:
                    state.refreshed_at = now
                if full:
                    state.rebuilt_at = now
                state.save()
    if complete:
        # The national figures as published, for the pages to read until the next refresh
        # (``monitor.snapshot``; a failure there is logged and leaves the pages live).
        from .. import snapshot

        snapshot.refresh()
    return run.acted


def _rebuild_durations(run, year, now):
    """The medians and percentiles of every organisation's own figures for every period of
    ``year``'s cube (``durations``): one statement, then written per organisation; one
    that cannot be written is a failure under the year's last month, so that month and
    with it the year is rebuilt by the next run."""
    periods = Period(year).cube(timezone.localdate(now))
    if not periods:
        return
    until = last_month(periods)
    found = own_times(periods)
    # Every organisation gets its row, one without meldingen an empty one: a missing row
    # means "not computed" and is counted live.
    organisations = set(Organisation.objects.values_list("pk", flat=True))
    present = SummaryDuration.objects.filter(year=year).values_list("organisation_id", flat=True)
    cases = [(o, until) for o in sorted(organisations | set(found) | set(present))]

    def write(part):
        return durations.write([o for o, _m in part], year, until, found, now)

    run.act(cases, write, model=SummaryDuration, key=_case_id)


def _rebuild(run, month, now, grouping):
    _rebuild_month(run, month, grouping)
    SummaryMonth.objects.update_or_create(month=month, defaults={"built_at": now})


def _state():
    """The summary's state; built with another threshold or another grouping of the
    organisations it starts again from nothing (the page counts live meanwhile)."""
    digest = groups_digest()
    with transaction.atomic():
        state, _created = SummaryState.objects.select_for_update().get_or_create(pk=1)
        if state.people_cap != PEOPLE_CAP or state.groups != digest:
            SummaryMonth.objects.all().delete()
            state.people_cap = PEOPLE_CAP
            state.groups = digest
            state.refreshed_at = state.rebuilt_at = None
            state.save()
        return state
