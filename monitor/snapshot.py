"""The national monitor as published, kept between two refreshes of the summary.

Protecting the year's cube of the national figures (every view of the country × every
period of the year, ``monitor.hierarchy``) takes seconds of Python, and between two
refreshes of the summary its counts cannot change. So the figures a selection publishes
(``report.build``: every section, row and cell as the page, the CSV and the PDF render
them) are stored once per selection, summary refresh and day (``MonitorSnapshot``), and a
request that finds them only decodes them.

- **When.** After a complete refresh the summary sweep builds the national selection of
  every period of the current year (and of the default period's year, in January), in the
  default language (``refresh``). Any other national selection — a kind, a province, the
  other language — is built live by its first request, as before, and stored for the next
  (``INSERT … ON CONFLICT DO NOTHING``: two first requests store the same figures once).
- **Valid.** Only for the summary refresh the page would read now (``summary.source``:
  fresh, complete, same threshold and grouping), on the same day (the periods of the cube
  and the default period follow the date), with the same threshold and ``CODE`` (bumped
  when what a build publishes changes). Anything else — no summary, a stale one, SQLite,
  another day, an organisation's own figures — is built live, exactly as before.
- **Live parts.** The medians, Veilig Wonen, the tour and the office holders behind the
  rates are counted live by a build, so in a snapshot they are as of its building, a few
  seconds after the summary's refresh the page names; the next refresh replaces them.
- **Faults.** A snapshot that cannot be built, stored or read is logged and the page
  builds live; the sweep's refresh has already been recorded when ``refresh`` runs.
- **Scope.** National selections only: the monitor's access rules (``monitor.access``)
  decide the selection before this module is asked, and an organisation's own figures
  never get a key, so they are neither stored nor read here.

The stored form is JSON of a few known types (``_encode``), never pickle: a row is data,
not code."""

import logging
from dataclasses import fields
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone, translation

from . import report
from .figures import Figure, Row, Text
from .models import MonitorSnapshot
from .selection import Period, Selection, default_period
from .summary import source, using
from .suppression import THRESHOLD, Cell

__all__ = ["CODE", "build", "identity", "key", "refresh"]

log = logging.getLogger(__name__)

# Bump when a build publishes something else for the same data (a figure added, a rule of
# the suppression changed): stored snapshots of the old code are then never read.
CODE = 3  # 3: a late change can hide a cell kept shown (docs/monitor.md, finding 7)


def enabled():
    return getattr(settings, "MONITOR_SNAPSHOTS", True)


def key(selection, language=None):
    """The stored name of a national ``selection`` in ``language``; None for an
    organisation's own figures (never stored)."""
    if selection.single:
        return None
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    province = selection.province.pk if selection.province is not None else "*"
    return (
        f"c{CODE}:t{THRESHOLD}:{language}:{selection.period.code}:"
        f"{selection.kind or '*'}:{province}"
    )


def build(selection):
    """``report.build(selection)``, read from the snapshot where one is valid; otherwise
    built live and, for a national selection on a fresh summary, stored for the next
    request."""
    name = key(selection) if enabled() else None
    if name is None:
        return report.build(selection)
    with using() as chosen:
        if not chosen.summary:
            return report.build(selection)
        today = timezone.localdate()
        found = _read(chosen, today, name, selection)
        if found is not None:
            return found
        monitor = report.build(selection)
        _store(chosen, today, {name: monitor})
        return monitor


def identity(chosen, today, name):
    """What a snapshot is, for caching what is rendered from it: nothing else about the
    request (who asks is decided before, and only national selections have one)."""
    return f"{chosen.at.isoformat()}|{today.isoformat()}|{name}"


def refresh():
    """Build and store the national selection of every period of the year that the page
    can show by default, from the summary as it is now. Returns the number stored; a
    failure is logged and leaves the pages building live."""
    if not enabled():
        return 0
    chosen = source()
    if not chosen.summary:
        return 0
    today = timezone.localdate()
    years = sorted({today.year, default_period(today).year})
    try:
        built = {}
        with using(chosen), report.session(), translation.override(settings.LANGUAGE_CODE):
            for year in years:
                for period in Period(year).cube(today):
                    selection = Selection(period)
                    built[key(selection)] = report.build(selection)
        stored = _store(chosen, today, built)
        MonitorSnapshot.objects.exclude(refreshed_at=chosen.at, day=today).delete()
    except Exception:
        # Whatever went wrong (a row the figures cannot be built from, the database), the
        # summary is refreshed and the pages count live: say so, do not fail the sweep.
        log.exception("monitor snapshot not built")
        return 0
    return stored


def _read(chosen, today, name, selection):
    row = (
        MonitorSnapshot.objects.filter(refreshed_at=chosen.at, day=today, key=name)
        .values_list("data", flat=True)
        .first()
    )
    if row is None:
        return None
    try:
        sections = [_section(s) for s in row["sections"]]
        return report.Monitor(
            selection.published(),
            sections,
            empty=row["empty"],
            source=chosen,
            snapshot=identity(chosen, today, name),
            running=selection.running_month,
        )
    except (KeyError, TypeError, ValueError):
        log.exception("monitor snapshot %s unreadable, built live", name)
        return None


def _store(chosen, today, monitors):
    """Store each monitor under its name once; an existing row (another request was
    first) is left alone. Returns how many were given; 0 when they could not be stored
    (logged: the page shows the monitor it built all the same)."""
    now = timezone.now()
    try:
        rows = [
            MonitorSnapshot(
                refreshed_at=chosen.at,
                day=today,
                key=name,
                data={
                    "empty": monitor.empty,
                    "sections": [_encode_section(s) for s in monitor.sections],
                },
                built_at=now,
            )
            for name, monitor in monitors.items()
        ]
        with transaction.atomic():
            MonitorSnapshot.objects.bulk_create(rows, ignore_conflicts=True)
    except (DatabaseError, TypeError, ValueError):
        log.exception("monitor snapshot not stored")
        return 0
    return len(rows)


# The stored form: the figures with their texts in the language they were built in, and
# every value tagged with its type.


def _encode_section(section):
    return {
        "slug": section.slug,
        "title": str(section.title),
        "note": str(section.note),
        "figures": [_encode_figure(f) for f in section.figures],
    }


def _section(data):
    return report.Section(
        slug=data["slug"],
        title=data["title"],
        note=data["note"],
        figures=[_figure(f) for f in data["figures"]],
    )


_TEXTS = ("slug", "title", "description", "key_header", "chart", "unit", "note")


def _encode_figure(figure):
    data = {name: str(getattr(figure, name)) for name in _TEXTS}
    data["columns"] = [str(c) for c in figure.columns]
    data["series"] = list(figure.series)
    data["rows"] = [_encode_row(r) for r in figure.rows]
    data["total"] = None if figure.total is None else _encode_row(figure.total)
    return data


def _figure(data):
    return Figure(
        **{name: data[name] for name in _TEXTS},
        columns=list(data["columns"]),
        series=list(data["series"]),
        rows=[_row(r) for r in data["rows"]],
        total=None if data["total"] is None else _row(data["total"]),
    )


def _encode_row(row):
    return {
        "label": str(row.label),
        "values": [_encode_value(v) for v in row.values],
        "key": _encode_value(row.key),
    }


def _row(data):
    return Row(data["label"], [_value(v) for v in data["values"]], _value(data["key"]))


def _encode_value(value):
    """A cell, a derived text or a row's key, tagged; a type not known here is an error
    (caught by ``refresh``), not a value silently changed."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return {"int": value}
    if isinstance(value, Cell):
        return {"cell": [value.value, value.state]}
    if isinstance(value, Text):
        return {"text": [value.display, _encode_value(value.number)]}
    if isinstance(value, float):
        return {"float": repr(value)}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, Period):
        return {"period": [getattr(value, f.name) for f in fields(Period)]}
    if isinstance(value, date) and not isinstance(value, datetime):
        return {"date": value.isoformat()}
    if hasattr(value, "_proxy____cast"):  # a lazy translation used as a key
        return str(value)
    raise TypeError(f"monitor snapshot: cannot store {type(value).__name__}")


def _value(data):
    if data is None or isinstance(data, bool | str):
        return data
    (tag, value), *rest = data.items()
    if rest:
        raise ValueError(f"monitor snapshot: unknown value {data!r}")
    if tag == "int":
        return int(value)
    if tag == "cell":
        return Cell(int(value[0]), str(value[1]))
    if tag == "text":
        return Text(str(value[0]), _value(value[1]))
    if tag == "float":
        return float(value)
    if tag == "decimal":
        return Decimal(value)
    if tag == "period":
        return Period(*value)
    if tag == "date":
        return date.fromisoformat(value)
    raise ValueError(f"monitor snapshot: unknown value {data!r}")
