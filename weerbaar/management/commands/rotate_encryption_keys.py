from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from weerbaar import audit, crypto, search
from weerbaar.adapters import TOTP_CONTEXT
from weerbaar.constants import AuditAction
from weerbaar.fields import encrypted_fields


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value with the newest key (the first of "
        "FIELD_ENCRYPTION_KEYS). Run it after putting a new key in front; once it reports "
        "nothing left, the old key can be removed. Then rebuilds the blind search index "
        "with the current SEARCH_INDEX_KEY (--skip-search-index to leave it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--skip-search-index", action="store_true")

    def handle(self, *args, batch_size, skip_search_index=False, **options):
        current = crypto.current_key_id()
        prefix = f"{crypto.VERSION}:{current}:"
        total = 0
        for model, field in encrypted_fields():
            table, column = model._meta.db_table, field.column
            pk = model._meta.pk.column
            qn = connection.ops.quote_name
            binary = field.get_internal_type() == "BinaryField"
            empty, pattern = (b"", prefix.encode() + b"%") if binary else ("", prefix + "%")
            while True:
                with transaction.atomic(), connection.cursor() as cursor:
                    # Read raw ciphertext: only rows not yet under the current key.
                    cursor.execute(
                        f"SELECT {qn(pk)}, {qn(column)} FROM {qn(table)} "  # noqa: S608
                        f"WHERE {qn(column)} IS NOT NULL AND {qn(column)} <> %s "
                        f"AND NOT ({qn(column)} LIKE %s) ORDER BY {qn(pk)} LIMIT %s",
                        [empty, pattern, batch_size],
                    )
                    rows = cursor.fetchall()
                    for row_pk, value in rows:
                        context = field.crypto_context
                        if binary:
                            plain = crypto.decrypt_bytes(bytes(value), context=context)
                            new = crypto.encrypt_bytes(plain, context=context)
                        else:
                            plain = crypto.decrypt_text(value, context=context)
                            new = crypto.encrypt_text(plain, context=context)
                        cursor.execute(
                            f"UPDATE {qn(table)} SET {qn(column)} = %s WHERE {qn(pk)} = %s",  # noqa: S608
                            [new, row_pk],
                        )
                total += len(rows)
                if len(rows) < batch_size:
                    break
            self.stdout.write(f"{model._meta.label}.{field.name}: bijgewerkt")
        total += self._rotate_totp_secrets(current)
        audit.record(AuditAction.KEYS_ROTATED, key_id=current, values=total)
        self.stdout.write(f"Klaar: {total} waarden opnieuw versleuteld met sleutel {current}.")
        if not skip_search_index:
            # The search key may have been changed with the field keys: the index is rebuilt
            # from the (decrypted) text under the key in force now.
            indexed = search.rebuild(batch_size=batch_size, log=self.stdout.write)
            self.stdout.write(f"Zoekindex opnieuw opgebouwd: {indexed} objecten.")

    def _rotate_totp_secrets(self, current):
        count = 0
        with transaction.atomic():
            for auth in Authenticator.objects.select_for_update().filter(type="totp"):
                secret = auth.data.get("secret", "")
                if secret and crypto.key_id_of(secret) != current:
                    plain = crypto.decrypt_text(secret, context=TOTP_CONTEXT)
                    auth.data["secret"] = crypto.encrypt_text(plain, context=TOTP_CONTEXT)
                    auth.save(update_fields=["data"])
                    count += 1
        return count
