"""Helpers for the sweeps that act a chunk per transaction: cutting the due rows into chunks,
and claiming a chunk in the sweep's record of acting."""

from django.db import connection

__all__ = ["chunks", "claim", "update_rows"]


def chunks(items, size):
    """Consecutive slices of ``items`` of at most ``size`` (the last may be shorter)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def claim(record, owner, claims, now):
    """Record in ``record`` (a model unique on ``owner``, ``kind`` and ``level``, with
    ``acted_at``) that the sweep acted on each (owner id, kind, level) of ``claims``, in one
    statement. Returns the (owner id, level) pairs this call recorded; the others were
    recorded before, by an earlier run or another worker."""
    if not claims:
        return set()
    ops = connection.ops
    table = ops.quote_name(record._meta.db_table)
    column = ops.quote_name(record._meta.get_field(owner).column)
    values = ", ".join(["(%s, %s, %s, %s)"] * len(claims))
    # In id order, so that two workers claiming overlapping chunks take the rows' index
    # entries in the same order.
    params = [p for pk, kind, level in sorted(claims) for p in (pk, kind, level, now)]
    with connection.cursor() as cursor:
        # Only the model's own table and column names are formatted in; values are parameters.
        cursor.execute(
            f"INSERT INTO {table} ({column}, kind, level, acted_at) VALUES {values} "  # noqa: S608
            f"ON CONFLICT ({column}, kind, level) DO NOTHING RETURNING {column}, level",
            params,
        )
        return set(cursor.fetchall())


def update_rows(model, objs, fields):
    """Write ``fields`` of the instances ``objs`` of ``model`` in one statement, as
    ``bulk_update`` does, and return how many rows it wrote.

    On PostgreSQL one ``UPDATE ... FROM (VALUES ...)``: ``bulk_update`` builds a ``CASE``
    with a ``WHEN`` per row for every field, and resolving those expressions cost about
    half a millisecond of Python per row (most of the escalation sweep's time per case)."""
    if not objs:
        return 0
    if connection.vendor != "postgresql":
        return model.objects.bulk_update(objs, fields)
    ops = connection.ops
    meta = model._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    names = [ops.quote_name(field.column) for field in columns]
    row = "({})".format(", ".join(f"%s::{field.db_type(connection)}" for field in columns))
    params = [
        field.get_db_prep_save(getattr(obj, field.attname), connection)
        for obj in objs
        for field in columns
    ]
    table = ops.quote_name(meta.db_table)
    sets = ", ".join(f"{name} = v.{name}" for name in names[1:])
    with connection.cursor() as cursor:
        # Only the model's own table, column names and column types are formatted in.
        cursor.execute(
            f"UPDATE {table} SET {sets} FROM (VALUES {', '.join([row] * len(objs))}) "  # noqa: S608
            f"AS v({', '.join(names)}) WHERE {table}.{names[0]} = v.{names[0]}",
            params,
        )
        return cursor.rowcount
