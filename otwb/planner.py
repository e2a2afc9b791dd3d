"""Which trainers can take a slot, and how busy each one is.

A fixed number of queries whatever the size of the pool: one for the trainers annotated
with their load and whether they clash with the slot, one each for that weekday's patterns and
that day's exceptions (plain rows); availability is then judged in Python. What the queries read is
bounded by the planning window, not by the years of assignments behind it."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, FilteredRelation, OuterRef, Q, Value
from django.utils import timezone

from .availability import is_available
from .models import Assignment, AvailabilityException, Trainer, WeeklyAvailability

__all__ = ["Proposal", "propose_trainers"]


@dataclass
class Proposal:
    trainer: Trainer
    available: bool
    clashes: bool
    assigned: bool
    load_upcoming: int
    load_month: int

    @property
    def proposable(self):
        return self.available and not self.clashes and not self.assigned


def propose_trainers(starts_at, ends_at, *, session=None, now=None):
    """Every active trainer with their standing for the slot; the proposable first, least
    loaded first."""
    now = now or timezone.now()
    local = timezone.localtime(starts_at)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    month_end = (month_start + timedelta(days=32)).replace(day=1)
    # Both loads count only assignments from the earlier of now and the slot's month on:
    # the join reads that window (an index range per trainer), not every trainer's history.
    window = FilteredRelation(
        "assignments",
        condition=Q(assignments__active=True, assignments__starts_at__gte=min(now, month_start)),
    )
    clash = Assignment.objects.filter(
        trainer=OuterRef("pk"), active=True, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if session is not None:
        clash = clash.exclude(session=session)
    trainers = (
        Trainer.objects.active()
        .annotate(
            planned=window,
            load_upcoming=Count("planned", filter=Q(planned__starts_at__gte=now)),
            load_month=Count(
                "planned",
                filter=Q(planned__starts_at__gte=month_start, planned__starts_at__lt=month_end),
            ),
            clashes=Exists(clash),
            assigned=Exists(
                Assignment.objects.filter(trainer=OuterRef("pk"), active=True, session=session)
            )
            if session is not None
            else Value(False),
        )
        .order_by("name")
    )
    # The day's patterns and exceptions as plain rows grouped per trainer: is_available
    # only reads their fields, and a prefetch would build a related manager per trainer.
    weekly, exceptions = defaultdict(list), defaultdict(list)
    for row in WeeklyAvailability.objects.filter(weekday=local.weekday()).values_list(
        "trainer_id", "weekday", "start_time", "end_time", named=True
    ):
        weekly[row.trainer_id].append(row)
    for row in AvailabilityException.objects.filter(date=local.date()).values_list(
        "trainer_id", "date", "start_time", "end_time", "available", named=True
    ):
        exceptions[row.trainer_id].append(row)
    proposals = [
        Proposal(
            trainer=t,
            available=is_available(weekly[t.pk], exceptions[t.pk], starts_at, ends_at),
            clashes=t.clashes,
            assigned=bool(t.assigned),
            load_upcoming=t.load_upcoming,
            load_month=t.load_month,
        )
        for t in trainers
    ]
    proposals.sort(key=lambda p: (not p.proposable, p.load_upcoming, p.trainer.name))
    return proposals
