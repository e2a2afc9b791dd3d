"""Who may see which figures, and what they selected.

An analyst (BZK) sees the national figures and may narrow them by organisation kind and
province; a griffier or secretaris sees the figures of their own organisation only. Nobody
else sees the monitor. The period is whole months: a finer period would let two
overlapping selections isolate a single day."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Q
from django.utils import timezone

from weerbaar.constants import OrganisationKind, Role

from .hierarchy import ALL, Layout

__all__ = ["KINDS", "LOCAL_ROLES", "Selection", "monitor_membership"]

# Figures cover decentral government; national bodies are not a population of their own.
KINDS = (OrganisationKind.GEMEENTE, OrganisationKind.PROVINCIE, OrganisationKind.WATERSCHAP)
LOCAL_ROLES = (Role.GRIFFIER, Role.SECRETARIS)


def monitor_membership(request):
    """The membership the user looks at the monitor in, or None. The membership the user
    currently acts in wins (header role switcher); otherwise analyst before local roles."""
    current = getattr(request, "membership", None)
    allowed = (Role.ANALYST, *LOCAL_ROLES)
    if current is not None and current.role in allowed:
        return current
    memberships = request.user.active_memberships
    for role in allowed:
        for m in memberships:
            if m.role == role:
                return m
    return None


def first_of_month(day):
    return date(day.year, day.month, 1)


def next_month(day):
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def months_between(start, end):
    """First days of the months from ``start`` to ``end`` inclusive."""
    months, month = [], first_of_month(start)
    while month <= end:
        months.append(month)
        month = next_month(month)
    return months


def default_period(today=None):
    """The last twelve whole-or-current months."""
    today = today or timezone.localdate()
    end = first_of_month(today)
    start = date(end.year - 1, end.month, 1)
    return next_month(start), end


@dataclass(frozen=True)
class Selection:
    """``organisation`` set: one organisation (griffier/secretaris). Otherwise national,
    with an optional ``kind`` and ``province`` (an Organisation of kind provincie)."""

    start: date
    end: date
    organisation: object = None
    kind: str = ""
    province: object = None

    @property
    def single(self):
        return self.organisation is not None

    @property
    def kind_label(self):
        return OrganisationKind(self.kind).label if self.kind else ""

    @property
    def months(self):
        return months_between(self.start, self.end)

    @property
    def start_at(self):
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_before(self):
        return timezone.make_aware(datetime.combine(next_month(self.end), time.min))

    @property
    def view(self):
        if self.single:
            return ()
        return (self.kind or ALL, self.province.pk if self.province else ALL)

    def layout(self, groups):
        if self.single:
            return Layout.single(self.organisation.kind)
        return Layout(groups=tuple(groups), view=self.view)

    def population(self, organisation_path):
        """Whose records count at all: the organisation, or every decentral organisation
        (the groups of the national grid, not yet narrowed to the selected view)."""
        if self.single:
            return Q(**{organisation_path: self.organisation})
        return Q(**{f"{organisation_path}__kind__in": KINDS})

    def view_q(self, organisation_path):
        """The selected view itself: for statistics (percentiles) that cannot be summed
        from groups and so are computed for exactly what is shown."""
        q = self.population(organisation_path)
        if self.kind:
            q &= Q(**{f"{organisation_path}__kind": self.kind})
        if self.province is not None:
            q &= Q(**{f"{organisation_path}__province": self.province})
        return q

    def in_period(self, field):
        return Q(**{f"{field}__gte": self.start_at, f"{field}__lt": self.end_before})
