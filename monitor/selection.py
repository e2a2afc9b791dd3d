"""Who may see which figures, and what they selected.

An analyst (BZK) sees the national figures and may narrow them by organisation kind and
province; a griffier or secretaris sees the figures of their own organisation only. Nobody
else sees the monitor.

The period is a fixed calendar period: a month, a quarter or a year, never an arbitrary run
of months. Suppression is decided once per calendar year, on one protected cube of every
period of that year (``Layout.periods``: its months, quarters and the year, with a quarter
the sum of its months and the year the sum of its quarters as lines), and every period's
figures are taken from that cube; so no two periods a user can ask for differ by a hidden
cell (docs/monitor.md, finding 2)."""

from dataclasses import dataclass, replace
from datetime import date, datetime, time

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from weerbaar.constants import OrganisationKind, Role

from .hierarchy import ALL, Layout

__all__ = [
    "KINDS",
    "LOCAL_ROLES",
    "MONTH",
    "QUARTER",
    "YEAR",
    "Period",
    "Selection",
    "default_period",
    "monitor_membership",
]

# Figures cover decentral government; national bodies are not a population of their own.
KINDS = (OrganisationKind.GEMEENTE, OrganisationKind.PROVINCIE, OrganisationKind.WATERSCHAP)
LOCAL_ROLES = (Role.GRIFFIER, Role.SECRETARIS)
YEAR, QUARTER, MONTH = "jaar", "kwartaal", "maand"


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


@dataclass(frozen=True, order=True)
class Period:
    """A calendar year, quarter (``number`` 1–4) or month (``number`` 1–12). Ordered so
    that a year's cube lists its periods alike in every build."""

    year: int
    kind: str = YEAR
    number: int = 0

    @classmethod
    def of_month(cls, day):
        return cls(day.year, MONTH, day.month)

    @classmethod
    def of_quarter(cls, day):
        return cls(day.year, QUARTER, (day.month - 1) // 3 + 1)

    @classmethod
    def containing(cls, start, end):
        """The smallest fixed period holding the months ``start`` to ``end`` (a year only
        when they lie in one year; otherwise the year of ``end``)."""
        if (start.year, start.month) == (end.year, end.month):
            return cls.of_month(end)
        if cls.of_quarter(start) == cls.of_quarter(end):
            return cls.of_quarter(end)
        return cls(end.year)

    @property
    def start(self):
        if self.kind == MONTH:
            return date(self.year, self.number, 1)
        if self.kind == QUARTER:
            return date(self.year, 3 * self.number - 2, 1)
        return date(self.year, 1, 1)

    @property
    def end(self):
        """The first day of its last month."""
        if self.kind == MONTH:
            return self.start
        if self.kind == QUARTER:
            return date(self.year, 3 * self.number, 1)
        return date(self.year, 12, 1)

    @property
    def months(self):
        return months_between(self.start, self.end)

    @property
    def quarter(self):
        """The quarter a month lies in."""
        return Period.of_quarter(self.start)

    def parts(self, today=None):
        """The periods it is the sum of, as far as they have begun: a year's quarters, a
        quarter's months; none for a month."""
        today = today or timezone.localdate()
        if self.kind == YEAR:
            parts = [Period(self.year, QUARTER, q) for q in range(1, 5)]
        elif self.kind == QUARTER:
            parts = [Period.of_month(m) for m in self.months]
        else:
            return []
        return [p for p in parts if p.start <= today]

    def cube(self, today=None):
        """Every period of its year with a month that has ended: those months, then their
        quarters, then the year. The running month is not published (docs/monitor.md,
        finding 6): its figures would change from day to day, and every change is a
        difference an attacker could read; a quarter or the year that holds it counts its
        ended months only. Empty while the year's first month runs."""
        running = first_of_month(today or timezone.localdate())
        months = [Period.of_month(m) for m in Period(self.year).months if m < running]
        if not months:
            return ()
        quarters = sorted({m.quarter for m in months})
        return (*months, *quarters, Period(self.year))

    def closed(self, today=None):
        """Whether every month of it has ended (its published cells then no longer
        change their state, ``monitor.publication``)."""
        return next_month(self.end) <= first_of_month(today or timezone.localdate())

    @property
    def code(self):
        """As in the address: ``2026``, ``2026-K1``, ``2026-03``."""
        if self.kind == MONTH:
            return f"{self.year}-{self.number:02d}"
        if self.kind == QUARTER:
            return f"{self.year}-K{self.number}"
        return str(self.year)

    @property
    def label(self):
        if self.kind == MONTH:
            return date_format(self.start, "F Y")
        if self.kind == QUARTER:
            return _("%(n)se kwartaal %(year)s") % {"n": self.number, "year": self.year}
        return str(self.year)

    @property
    def short_label(self):
        if self.kind == MONTH:
            return date_format(self.start, "M Y")
        if self.kind == QUARTER:
            return _("K%(q)s %(year)s") % {"q": self.number, "year": self.year}
        return str(self.year)

    def __str__(self):
        return self.code


def default_period(today=None):
    """The current year so far; in its first month, the year before (a year of one
    unfinished month is no overview)."""
    today = today or timezone.localdate()
    return Period(today.year if today.month > 1 else today.year - 1)


@dataclass(frozen=True)
class Selection:
    """``organisation`` set: one organisation (griffier/secretaris). Otherwise national,
    with an optional ``kind`` and ``province`` (an Organisation of kind provincie)."""

    period: Period
    organisation: object = None
    kind: str = ""
    province: object = None
    # The first day of the last month counted (``published``): a period that holds the
    # running month counts its ended months only.
    until: object = None

    @property
    def single(self):
        return self.organisation is not None

    @property
    def kind_label(self):
        return OrganisationKind(self.kind).label if self.kind else ""

    @property
    def start(self):
        return self.period.start

    @property
    def end(self):
        if self.until is None:
            return self.period.end
        return min(self.period.end, self.until)

    def published(self, today=None):
        """The same selection counting only the months that have ended."""
        running = first_of_month(today or timezone.localdate())
        if next_month(self.period.end) <= running:
            return self
        last = date(running.year - (running.month == 1), (running.month - 2) % 12 + 1, 1)
        return replace(self, until=last)

    @property
    def running_month(self):
        """The running month, when the selected period holds it (its figures are not
        counted yet), else None."""
        running = first_of_month(timezone.localdate())
        if self.period.start <= running <= self.period.end:
            return Period.of_month(running)
        return None

    @property
    def months(self):
        return self.period.months

    @property
    def start_at(self):
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_before(self):
        return timezone.make_aware(datetime.combine(next_month(self.end), time.min))

    def at(self, period):
        """The same scope and view over another period (for the aggregations of the
        year's cube)."""
        return replace(self, period=period)

    @property
    def view(self):
        if self.single:
            return ()
        return (self.kind or ALL, self.province.pk if self.province else ALL)

    def layout(self, groups, today=None):
        """The layout of the year's cube, with this selection's period and view picked."""
        periods = self.period.cube(today)
        if self.single:
            return Layout.single(self.organisation.kind, periods=periods, period=self.period)
        return Layout(groups=tuple(groups), view=self.view, periods=periods, period=self.period)

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
