"""The summary's rows of one month, counted with the live aggregates' own expressions
(what is counted, the position, the gender, online, the aangifte and in-time flags), so
that the two paths cannot count differently."""

from datetime import datetime, time

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone

from incidents.constants import EscalationLevel, Status
from incidents.models import Melding, MeldingCategory

from ..aggregates.dimensions import gender, online
from ..aggregates.meldingen import position
from ..aggregates.quarters import AANGIFTE, IN_TIME, _flag
from ..models import Dimension, SummaryCell
from ..selection import next_month
from ..suppression import THRESHOLD

__all__ = ["PEOPLE_CAP", "month_rows"]

PEOPLE_CAP = THRESHOLD


def _keys():
    """{dimension: key expression} over ``Melding``."""
    return {
        Dimension.TOTAL: Value(""),
        Dimension.CHANNEL: F("channel"),
        Dimension.POSITION: position(),
        Dimension.GENDER: gender(),
        Dimension.GENDER_POSITION: Concat(gender(), Value("|"), position()),
        Dimension.GENDER_ONLINE: Concat(gender(), Value("|"), online()),
        Dimension.AANGIFTE: _flag(AANGIFTE),
        Dimension.IN_TIME: _flag(IN_TIME),
        Dimension.ESCALATED: _flag(Q(escalation_level__gte=EscalationLevel.VOORZITTER)),
        Dimension.ACKNOWLEDGED: _flag(Q(acknowledged_at__isnull=False)),
    }


def _person(prefix=""):
    return Coalesce(F(f"{prefix}reporter_id"), Value(0) - F(f"{prefix}id"))


def _counted(model, prefix, month):
    start = timezone.make_aware(datetime.combine(month, time.min))
    end = timezone.make_aware(datetime.combine(next_month(month), time.min))
    return model.objects.filter(
        **{f"{prefix}submitted_at__gte": start, f"{prefix}submitted_at__lt": end}
    ).exclude(**{f"{prefix}status__in": [Status.DRAFT, Status.WITHDRAWN]})


def _rows(qs, dimension, key, month, prefix=""):
    rows = (
        qs.annotate(summary_key=key, person=_person(prefix))
        .values(f"{prefix}organisation_id", f"{prefix}confidential", "summary_key")
        .annotate(
            n=Count(f"{prefix}pk", distinct=bool(prefix)),
            keys=ArrayAgg("person", distinct=True, order_by="person"),
        )
        .order_by()
    )
    for r in rows:
        yield SummaryCell(
            organisation_id=r[f"{prefix}organisation_id"],
            month=month,
            confidential=r[f"{prefix}confidential"],
            dimension=dimension,
            key=r["summary_key"] or "",
            n=r["n"],
            people=r["keys"][:PEOPLE_CAP],
        )


def month_rows(month):
    """{organisation id: [SummaryCell]} of ``month`` (its first day), one query per
    figure."""
    result = {}
    melding = _counted(Melding, "", month)
    cells = [
        cell for dimension, key in _keys().items() for cell in _rows(melding, dimension, key, month)
    ]
    categories = _counted(MeldingCategory, "melding__", month)
    cells.extend(_rows(categories, Dimension.CATEGORY, F("category"), month, "melding__"))
    for cell in cells:
        result.setdefault(cell.organisation_id, []).append(cell)
    return result
