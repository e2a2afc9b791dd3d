"""Rows in with PostgreSQL's ``COPY`` instead of ``bulk_create``: at ten times national
scale (a million meldingen, ten million rows with their children) ``bulk_create`` spends
most of its time building the statement and adapting its arrays, not in the database.

Each value still passes through its field's own ``pre_save`` and ``get_db_prep_save``, as in
``bulk_create``: an encrypted field's column holds the AES-GCM ciphertext the field itself
makes, defaults and ``auto_now`` behave as they do there. Primary keys are drawn from the
table's sequence first and set on the objects, so that children can point at them (what
``bulk_create`` reads back with ``RETURNING``)."""

from django.db import connection
from django.db.models import AutoField, BigAutoField, JSONField, SmallAutoField

__all__ = ["insert"]

AUTO = (AutoField, BigAutoField, SmallAutoField)


def _cooked(field):
    """Whether a value needs its field's preparation before psycopg can send it: encrypted
    fields (the ciphertext) and JSON (the wrapper). Strings, numbers, dates, UUIDs and
    choices psycopg adapts itself; leaving Django's preparation out for them halves the
    time of a batch. A value psycopg cannot adapt fails the COPY, it is not sent wrong."""
    return getattr(field, "encrypted", False) or isinstance(field, JSONField)


def _take_ids(model, n):
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, n],
        )
        return [row[0] for row in cursor.fetchall()]


def insert(model, objects):
    """Insert unsaved ``objects`` of ``model``; their primary keys are set afterwards."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=5000)
        return
    meta = model._meta
    new = [obj for obj in objects if obj.pk is None]
    if new and isinstance(meta.pk, AUTO):
        for obj, pk in zip(new, _take_ids(model, len(new)), strict=True):
            obj.pk = pk
    fields = meta.concrete_fields
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    prepare = [(f.pre_save, f.get_db_prep_save if _cooked(f) else None) for f in fields]
    sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for obj in objects:
            copy.write_row(
                [
                    prep(pre(obj, True), connection) if prep else pre(obj, True)
                    for pre, prep in prepare
                ]
            )
            obj._state.adding = False
            obj._state.db = connection.alias
