"""The term of office (issue 20 §3): memberships end at a date the griffier or secretaris
sets, one by one or after an election, and two sweeps carry it out.

- ``memberships-end-notice`` tells each holder, ``MEMBERSHIP_END_NOTICE_DAYS`` before the
  date, that their role ends (once; no case content).
- ``memberships-end`` records each end at or after its date, exactly once: the audit line
  "membership ended", and for an office holder a former office holder's membership (same
  organisation, same position) so they can go on reporting what happens to them because
  of the office they held. The griffier may choose otherwise when they plan the end (the
  person moves to another organisation, or asked not to): then the person keeps only
  their own meldingen and messages, which need no membership (the reporter's scope).

The role itself stops at the date whether or not the sweep has run yet: every check reads
``Membership.objects.active()``. The writes are ``weerbaar.memberships``'s.

The people page (``people_views``) asks this module what it shows: who is in office, who
leaves after an election, and whether an end leaves an organisation without anyone who
receives its meldingen."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from . import memberships, sweeps
from .constants import NATIONAL_ROLES
from .membership_rules import SENSITIVE_ROLES
from .models import Membership

__all__ = [
    "END_SWEEP",
    "NOTICE_SWEEP",
    "RECEIVING_ROLES",
    "end_moment",
    "in_office",
    "leaves_without_receiver",
    "record_due_ends",
    "send_due_notices",
]

END_SWEEP = "memberships-end"
NOTICE_SWEEP = "memberships-end-notice"

# The roles in an organisation that receive its meldingen (the local four-eyes roles).
RECEIVING_ROLES = frozenset(SENSITIVE_ROLES - NATIONAL_ROLES)


def _unrecorded():
    return Membership.objects.filter(valid_until__isnull=False, ended_recorded_at__isnull=True)


def record_due_ends(*, now=None):
    """The ``memberships-end`` sweep: record every end whose date has come."""
    now = now or timezone.now()
    ids = list(
        _unrecorded().filter(valid_until__lte=now).order_by("pk").values_list("pk", flat=True)
    )
    with sweeps.run(END_SWEEP, now=now) as run:
        return run.act(ids, lambda part: memberships.record_ends(part, now=now), model=Membership)


def send_due_notices(*, now=None):
    """The ``memberships-end-notice`` sweep: tell everyone whose role ends within the
    notice period and who was not told yet."""
    now = now or timezone.now()
    horizon = now + timedelta(days=settings.MEMBERSHIP_END_NOTICE_DAYS)
    ids = list(
        _unrecorded()
        .filter(valid_until__gt=now, valid_until__lte=horizon, end_notice_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    with sweeps.run(NOTICE_SWEEP, now=now) as run:
        return run.act(
            ids,
            lambda part: memberships.send_end_notices(part, now=now, horizon=horizon),
            model=Membership,
        )


def end_moment(day):
    """The moment an end on ``day`` takes effect: now for today (or earlier), otherwise the
    start of that day in the portal's time zone (the person has the role no more from that
    day on)."""
    now = timezone.now()
    if day <= timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.combine(day, time.min))


def in_office(organisation, *, at=None):
    """The memberships of ``organisation`` in force (planned ends included), people first
    by name."""
    return (
        Membership.objects.active(at)
        .filter(organisation=organisation)
        .select_related("user", "organisation")
        .order_by("user__full_name", "user__email", "role", "pk")
    )


def leaves_without_receiver(ending, at):
    """Whether ending the memberships ``ending`` at ``at`` leaves their organisation with
    nobody in a role that receives its meldingen (griffier, secretaris, voorzitter) from
    then on. One query per organisation concerned."""
    receiving = [m for m in ending if m.role in RECEIVING_ROLES]
    for organisation_id in {m.organisation_id for m in receiving}:
        still = (
            Membership.objects.active()
            .filter(organisation_id=organisation_id, role__in=RECEIVING_ROLES)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=at))
            .exclude(pk__in=[m.pk for m in ending])
        )
        if not still.exists():
            return True
    return False
