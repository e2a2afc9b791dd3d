"""Which trainers can take a slot, and how busy each one is.

The pool is judged, sorted and cut in the database: one query gives the trainers with their
standing for the slot (available, clashing, assigned: index probes per trainer) and their
loads (a count over an index range per trainer), proposable first, least loaded first, and
at most ``limit`` of them. So the page builds and renders a fixed number of rows however
large the pool grows, and what each row reads is bounded by the planning window, not by
the years of assignments behind it."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from .availability import available
from .models import Assignment, Trainer

__all__ = ["PLANNER_ROWS", "Proposal", "propose_trainers"]

# Rows the planner shows before "all trainers": more than a coordinator compares at once.
PLANNER_ROWS = 30


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


def _count(assignments):
    """The number of ``assignments`` of the trainer of the outer row (0 when none)."""
    return Coalesce(
        Subquery(
            assignments.filter(trainer=OuterRef("pk"), active=True)
            .order_by()
            .values("trainer")
            .annotate(n=Count("*"))
            .values("n")
        ),
        0,
        output_field=IntegerField(),
    )


def _boolean(expression):
    return ExpressionWrapper(expression, output_field=BooleanField())


def propose_trainers(starts_at, ends_at, *, session=None, now=None, limit=None):
    """Every active trainer with their standing for the slot, or the first ``limit``; the
    proposable first, least loaded first."""
    now = now or timezone.now()
    local = timezone.localtime(starts_at)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    month_end = (month_start + timedelta(days=32)).replace(day=1)
    # An active assignment lies within one local day (the write paths assign and move only
    # to a slot the trainer is available for, and a slot across midnight never is), so one
    # that overlaps the slot started less than two days before it: the probe reads that
    # range of the trainer's index, not their history. The write path checks any overlap.
    clash = Assignment.objects.filter(
        trainer=OuterRef("pk"),
        active=True,
        starts_at__gt=starts_at - timedelta(days=2),
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    if session is not None:
        clash = clash.exclude(session=session)
    assigned = (
        Exists(Assignment.objects.filter(trainer=OuterRef("pk"), active=True, session=session))
        if session is not None
        else Value(False)
    )
    trainers = (
        Trainer.objects.active()
        .annotate(
            is_available=_boolean(available(starts_at, ends_at)),
            clashes=Exists(clash),
            assigned=assigned,
        )
        .annotate(
            proposable=_boolean(Q(is_available=True, clashes=False, assigned=False)),
            load_upcoming=_count(Assignment.objects.filter(starts_at__gte=now)),
            load_month=_count(
                Assignment.objects.filter(starts_at__gte=month_start, starts_at__lt=month_end)
            ),
        )
        .order_by(F("proposable").desc(), "load_upcoming", "name", "pk")
    )
    if limit is not None:
        trainers = trainers[:limit]
    return [
        Proposal(
            trainer=t,
            available=t.is_available,
            clashes=t.clashes,
            assigned=bool(t.assigned),
            load_upcoming=t.load_upcoming,
            load_month=t.load_month,
        )
        for t in trainers
    ]
