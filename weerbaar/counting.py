"""Counts read up to a cap ("meer dan 1.000"): where an exact figure of a long list helps
nobody, counting stops at the cap, so the cost of a count does not grow with the rows it
counts (issue 25 §2: an organisation's open cases at ten times national scale).

A capped count is the same queryset with ``LIMIT cap + 1`` and its order dropped: the same
access scope and filters as the list it counts, so it never counts a row its reader may not
see. Several counts go out as one statement, one scalar subquery each, so each gets its own
plan (an index read that stops at the cap) rather than one scan shared by all."""

from django.db import connections
from django.db.models import BigIntegerField
from django.db.models.expressions import RawSQL

__all__ = [
    "CAP",
    "Capped",
    "capped_count_column",
    "capped_counts",
    "capped_counts_by",
    "capped_ids",
]

# Above this a figure is shown as "meer dan 1.000" (docs/performance.md, "Capped counts").
CAP = 1000


class Capped(int):
    """A count; ``capped`` when there were more than ``cap`` rows (the value is then the
    cap). Renders as "meer dan 1.000" through the ``tally`` filter (``templatetags.counts``)."""

    capped = False
    cap = None

    def __new__(cls, found, cap=None):
        cap = CAP if cap is None else cap
        value = super().__new__(cls, min(found, cap))
        value.capped = found > cap
        value.cap = cap
        return value

    def __add__(self, other):
        """A sum of counts: capped when one of them was, "meer dan" the sum then."""
        result = int.__new__(Capped, int(self) + int(other))
        result.capped = self.capped or getattr(other, "capped", False)
        result.cap = int(result)
        return result

    __radd__ = __add__


def _count_up_to(queryset, cap, alias="capped"):
    """``SELECT COUNT(*)`` over the first ``cap + 1`` ids of ``queryset``: the SQL the ORM
    compiled, its values as parameters; an index read that stops at the cap."""
    sql, params = queryset.order_by().values("pk")[: cap + 1].query.sql_with_params()
    return f"SELECT COUNT(*) FROM ({sql}) AS {alias}", params  # noqa: S608


def capped_counts(querysets, *, cap=None):
    """``{key: Capped}`` for ``{key: queryset}``, in one statement."""
    if not querysets:
        return {}
    cap = CAP if cap is None else cap
    parts, params, db = [], [], None
    for index, qs in enumerate(querysets.values()):
        db = qs.db
        sql, qs_params = _count_up_to(qs, cap, f"capped_{index}")
        parts.append(f"({sql})")
        params.extend(qs_params)
    with connections[db].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    return {key: Capped(found, cap) for key, found in zip(querysets, row, strict=True)}


def capped_counts_by(queryset, field, values, *, cap=None):
    """``{value: Capped}``: ``queryset`` counted up to the cap for each value of ``field``
    (the dashboard's counts per status). The same as ``capped_counts`` with a queryset per
    value, but compiled once: the value is a column of a ``VALUES`` list, and the count a
    subquery run once per value. Compiling the triage scope was most of the counts' cost,
    once for each of five statuses. On other databases, ``capped_counts``."""
    values = list(values)
    if not values:
        return {}
    cap = CAP if cap is None else cap
    if connections[queryset.db].vendor != "postgresql":
        return capped_counts({v: queryset.filter(**{field: v}) for v in values}, cap=cap)
    each = queryset.filter(**{field: RawSQL("capped_values.value", ())})
    sql, params = _count_up_to(each, cap)
    rows = ", ".join(["(%s)"] * len(values))
    statement = f"SELECT ({sql}) FROM (VALUES {rows}) AS capped_values(value)"  # noqa: S608
    with connections[queryset.db].cursor() as cursor:
        # The subquery's parameters come first in the text, then the values.
        cursor.execute(statement, [*params, *values])
        found = [row[0] for row in cursor.fetchall()]
    return {value: Capped(n, cap) for value, n in zip(values, found, strict=True)}


def capped_ids(querysets, *, cap=None):
    """``{key: ids}`` for ``{key: ordered queryset}``: the first ``cap + 1`` ids of each, in
    the queryset's order, in one statement (PostgreSQL: an ARRAY per queryset). The count is
    ``Capped(len(ids), cap)``, the first rows the head of the list."""
    if not querysets:
        return {}
    cap = CAP if cap is None else cap
    parts, params, db = [], [], None
    for qs in querysets.values():
        db = qs.db
        sql, qs_params = qs.values_list("pk", flat=True)[: cap + 1].query.sql_with_params()
        parts.append(f"ARRAY({sql})")
        params.extend(qs_params)
    with connections[db].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))


def capped_count_column(queryset, *, cap=None):
    """The count of ``queryset`` up to ``cap + 1`` as an expression, to annotate the first
    rows of the same list with: one statement gives both (an uncorrelated subquery, which
    PostgreSQL runs once). ``Capped(row.total, cap)`` reads it."""
    cap = CAP if cap is None else cap
    sql, params = _count_up_to(queryset, cap)
    # The ORM's own SQL, its values as parameters.
    return RawSQL(sql, params, output_field=BigIntegerField())  # noqa: S611
