"""The priority score of the intake queue.

The rule (shown to intake officers as "waarom hier"):

    score = class points + indicator points + waiting points

* class points: spoed 1000, hoog 500, normaal 100;
* indicator points: recent threats 60, earlier incidents at the home 60, public exposure
  40, planned move 20, and 10 per linked melding of the applicant (at most 3 counted);
* waiting points: 20 per working day since the application was submitted (weekends and
  Dutch public holidays do not count).

So urgency decides first, but nobody starves: a normaal application without indicators
that has waited 20 working days (100 + 400 = 500) ties with a hoog one filed today and
from the 21st working day ranks above it — by then it is already past its own 15-day
intake deadline. A spoed case is overtaken by a waiting normaal one only after 45
working days, which the 2-day spoed deadline and its escalation make theoretical.

The score is stored in an indexed column so the queue sorts in SQL; it is recomputed on
every change of the application and once a day by a sweep (waiting points grow daily).
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.workdays import working_days_between

from .constants import UrgencyClass

__all__ = [
    "CLASS_POINTS",
    "INDICATOR_POINTS",
    "PER_WORKING_DAY",
    "breakdown",
    "proposed_class",
    "score",
]

CLASS_POINTS = {UrgencyClass.SPOED: 1000, UrgencyClass.HOOG: 500, UrgencyClass.NORMAAL: 100}
INDICATOR_POINTS = {
    "recent_threats": 60,
    "incidents_at_home": 60,
    "public_exposure": 40,
    "planned_move": 20,
}
INDICATOR_LABELS = {
    "recent_threats": _("recente bedreigingen"),
    "incidents_at_home": _("eerdere incidenten bij de woning"),
    "public_exposure": _("publieke blootstelling"),
    "planned_move": _("verhuizing gepland"),
}
PER_MELDING, MAX_MELDINGEN = 10, 3
PER_WORKING_DAY = 20


@dataclass(frozen=True)
class Part:
    label: str
    points: int


def breakdown(application, now=None):
    """The score's parts, in the order the rule lists them."""
    now = now or timezone.now()
    parts = [
        Part(
            _("urgentieklasse %(klasse)s")
            % {"klasse": UrgencyClass(application.urgency_class).label},
            CLASS_POINTS[application.urgency_class],
        )
    ]
    for field, points in INDICATOR_POINTS.items():
        if getattr(application, field):
            parts.append(Part(INDICATOR_LABELS[field], points))
    linked = min(len(application.linked_meldingen or []), MAX_MELDINGEN)
    if linked:
        parts.append(Part(_("%(n)d gekoppelde melding(en)") % {"n": linked}, linked * PER_MELDING))
    days = max(working_days_between(application.submitted_at, now), 0)
    parts.append(Part(_("%(n)d werkdagen wachttijd") % {"n": days}, days * PER_WORKING_DAY))
    return parts


def score(application, now=None):
    return sum(part.points for part in breakdown(application, now))


def proposed_class(*, recent_threats, incidents_at_home, public_exposure, planned_move=False):
    """The class an application starts in, before the intake officer weighs it: threats
    together with incidents at the home is spoed; any one serious indicator is hoog."""
    if recent_threats and incidents_at_home:
        return UrgencyClass.SPOED
    if recent_threats or incidents_at_home or public_exposure:
        return UrgencyClass.HOOG
    return UrgencyClass.NORMAAL
