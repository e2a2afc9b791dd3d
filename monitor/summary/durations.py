"""The medians and percentiles of an organisation's own figures, as the sweep stored them.

The live statements (``aggregates.meldingen.ack_times``, ``aggregates.quarters.times``)
sort every melding of the organisation in the period at every request: the cost of an
own page grows with the organisation's meldingen (Amsterdam: about 7,000 at scale 1). A
median cannot be summed from months, but the monitor only publishes fixed periods — a
year's ended months, their quarters and the year so far — so the sweep computes the
statistic of each of those periods per organisation with the live statement's own
``percentile_cont`` over the same rows (``aggregates.quarters.own_times``), exact and not
an approximation from a histogram, and stores one ``SummaryDuration`` row per
organisation and year. A page reads one row.

Read only where the build reads the summary at all (fresh, complete: the page says
"Cijfers bijgewerkt op …", the moment these were counted too), for the selection's own
organisation (the access rules decided it before), and only while the row counts up to
the month the cube ends with today. Anything else — no row, another last month (the
first run of a new month has not come yet), an unreadable row — counts live as before.
What is shown and hidden is decided after this, exactly as for live figures."""

import logging
from datetime import timedelta

from weerbaar.models import Organisation

from ..aggregates.cube import last_month
from ..models import SummaryDuration
from ..selection import MONTH, QUARTER, Period

__all__ = ["FIELDS", "decode", "encode", "read", "write"]

log = logging.getLogger(__name__)

# The stored order of one period's numbers; the times in microseconds.
FIELDS = ("acknowledged", "ack_median", "ack_p90", "closed", "close_median")
_TIMES = frozenset({"ack_median", "ack_p90", "close_median"})
_MICROSECOND = timedelta(microseconds=1)


def encode(periods):
    """{period: {field: value}} as stored: {period code: [values in ``FIELDS`` order]}."""
    return {
        period.code: [
            _micro(found[name]) if name in _TIMES else int(found[name]) for name in FIELDS
        ]
        for period, found in periods.items()
    }


def decode(figures):
    return {
        _period(code): {
            name: _delta(value) if name in _TIMES else int(value)
            for name, value in zip(FIELDS, values, strict=True)
        }
        for code, values in figures.items()
    }


def read(selection):
    """{period: {field: value}} of the selection's organisation and year, or None when
    there is no current row (count live)."""
    periods = Period(selection.period.year).cube()
    if not periods:
        return None
    try:
        row = (
            SummaryDuration.objects.filter(
                organisation=selection.organisation,
                year=selection.period.year,
                until=last_month(periods),
            )
            .values_list("figures", flat=True)
            .first()
        )
        return None if row is None else decode(row)
    except (KeyError, TypeError, ValueError):
        log.exception("monitor durations unreadable, counted live")
        return None


def write(organisations, year, until, found, now):
    """Replace the rows of ``organisations`` for ``year`` by those counted in ``found``
    ({organisation id: {period: {field: value}}}); an organisation without meldingen in
    the year gets an empty row (its page reads that, instead of counting nothing live).
    An organisation deleted meanwhile is skipped. Returns how many were written."""
    SummaryDuration.objects.filter(organisation_id__in=organisations, year=year).delete()
    existing = set(Organisation.objects.filter(pk__in=organisations).values_list("pk", flat=True))
    rows = [
        SummaryDuration(
            organisation_id=organisation,
            year=year,
            until=until,
            figures=encode(found.get(organisation, {})),
            built_at=now,
        )
        for organisation in organisations
        if organisation in existing
    ]
    SummaryDuration.objects.bulk_create(rows)
    return len(rows)


def _micro(value):
    return None if value is None else value // _MICROSECOND


def _delta(value):
    return None if value is None else timedelta(microseconds=int(value))


def _period(code):
    """A period from its code (``2026``, ``2026-K1``, ``2026-03``)."""
    year, _sep, rest = code.partition("-")
    if not rest:
        return Period(int(year))
    if rest.startswith("K"):
        return Period(int(year), QUARTER, int(rest[1:]))
    return Period(int(year), MONTH, int(rest))
