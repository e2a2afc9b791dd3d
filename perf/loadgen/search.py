"""Search tokens for the load data (weerbaar/search.py): the generators write with COPY,
which sends no ``post_save``, so the index is filled afterwards for every
object that has no tokens yet — also in a database seeded before search existed. On
PostgreSQL the rows go in with COPY (a million rows at scale 0.1 in seconds, not minutes)."""

from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from weerbaar import search
from weerbaar.models import SearchToken

__all__ = ["fill_search_index"]

BATCH = 2000


def _write(index, objects):
    rows = [
        (index.kind, obj.pk, token) for obj in objects for token in search.tokens_for(index, obj)
    ]
    if connection.vendor != "postgresql":
        SearchToken.objects.bulk_create(
            [SearchToken(kind=k, object_id=pk, token=t) for k, pk, t in rows],
            batch_size=5000,
            ignore_conflicts=True,
        )
        return
    table = SearchToken._meta.db_table
    with connection.cursor() as cursor:
        copy_sql = f"COPY {table} (kind, object_id, token) FROM STDIN"
        with cursor.cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row(row)


def fill_search_index(plan):
    """Index every registered object without tokens; returns {kind: objects indexed}."""
    done = {}
    for index in search.registered():
        manager = index.model._base_manager
        has_tokens = SearchToken.objects.filter(kind=index.kind, object_id=OuterRef("pk"))
        pks = list(manager.exclude(Exists(has_tokens)).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), BATCH):
            chunk = pks[start : start + BATCH]
            # Only the fields the texts are made of (``Index.fields``): the others (a
            # melding's description above all) would be decrypted for nothing.
            objects = (
                manager.filter(pk__in=chunk)
                .select_related(*index.related)
                .only("pk", *index.fields)
            )
            with transaction.atomic():
                _write(index, objects)
            plan.log(f"  search index {index.kind}: {start + len(chunk)}/{len(pks)}")
        done[index.kind] = len(pks)
    return done
