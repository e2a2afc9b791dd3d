"""Encrypting a column that used to hold plain text, in a data migration.

The migration that turns a field into an ``EncryptedTextField`` changes the column type only;
the rows already there are still plain text, which the field cannot read. ``encrypt_column``
reads them with a cursor (not the model, whose field would try to decrypt them) and writes
them back encrypted under the column's context, in batches so a large table is not one long
statement. A value that already decrypts is left alone, so a rerun does nothing.
``decrypt_column`` is the way back, for migrating backwards."""

from . import crypto

__all__ = ["decrypt_column", "encrypt_column"]

BATCH = 2000


def _rewrite(connection, *, table, column, convert, batch_size):
    qn = connection.ops.quote_name
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, {qn(column)} FROM {qn(table)} WHERE id > %s "  # noqa: S608
                f"AND {qn(column)} IS NOT NULL AND {qn(column)} <> '' ORDER BY id LIMIT %s",
                [last, batch_size],
            )
            rows = cursor.fetchall()
            changed = [(new, pk) for pk, value in rows if (new := convert(value)) != value]
            if changed:
                cursor.executemany(
                    f"UPDATE {qn(table)} SET {qn(column)} = %s WHERE id = %s",  # noqa: S608
                    changed,
                )
        if len(rows) < batch_size:
            return
        last = rows[-1][0]


def _is_encrypted(value, context):
    try:
        crypto.decrypt_text(value, context=context)
    except crypto.DecryptionError:
        return False
    return True


def encrypt_column(connection, *, table, column, context, batch_size=BATCH):
    """Encrypt every plain value of ``table.column`` (``context``: the field's
    ``crypto_context``, ``"<app>.<model>.<field>"``)."""

    def convert(value):
        if _is_encrypted(value, context):
            return value
        return crypto.encrypt_text(value, context=context)

    _rewrite(connection, table=table, column=column, convert=convert, batch_size=batch_size)


def decrypt_column(connection, *, table, column, context, batch_size=BATCH):
    def convert(value):
        if _is_encrypted(value, context):
            return crypto.decrypt_text(value, context=context)
        return value

    _rewrite(connection, table=table, column=column, convert=convert, batch_size=batch_size)
