from django.db import models


class SearchToken(models.Model):
    """One blind-index entry: a keyed HMAC of a normalised word (or word prefix) of an
    object's searchable text (``weerbaar.search``). The table holds no word in clear; without
    ``SEARCH_INDEX_KEY`` a dump of it tells only how many tokens each object has."""

    # The registered index, e.g. "incidents.melding"; also mixed into the HMAC.
    kind = models.CharField(max_length=32)
    object_id = models.BigIntegerField()
    token = models.BinaryField(max_length=16)

    class Meta:
        constraints = [
            # A query term → the ids of its objects, from the index alone. Unique, so that
            # counting a query's terms per object needs no DISTINCT (a hash, not a sort).
            models.UniqueConstraint(
                fields=["kind", "token", "object_id"], name="search_token_lookup"
            )
        ]
        indexes = [
            # Reindexing one object replaces its rows.
            models.Index(fields=["kind", "object_id"], name="search_token_object"),
        ]

    def __str__(self):
        return f"{self.kind}#{self.object_id}"
