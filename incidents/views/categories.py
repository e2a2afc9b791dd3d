"""A case's categories as one column of the query that fetches the case, instead of a
query (or a prefetch) of their own."""

from django.db.models import Aggregate, CharField, OuterRef, Subquery

from ..constants import Category
from ..models import MeldingCategory

__all__ = ["CATEGORY_LIST", "category_labels", "keyed_list", "split_keyed"]


class _Keyed(Aggregate):
    """``key:value`` of each row, joined by commas: STRING_AGG on PostgreSQL, GROUP_CONCAT
    on SQLite (the embedded mode). The order of the rows is the reader's to restore from
    the keys (GROUP_CONCAT before SQLite 3.44 takes no ORDER BY)."""

    output_field = CharField()

    def _pairs(self, compiler):
        (key, key_params), (value, value_params) = (
            compiler.compile(e) for e in self.get_source_expressions()[:2]
        )
        return f"CAST({key} AS TEXT) || ':' || {value}", (*key_params, *value_params)

    def as_postgresql(self, compiler, connection, **extra_context):
        pairs, params = self._pairs(compiler)
        return f"STRING_AGG({pairs}, ',')", params

    def as_sqlite(self, compiler, connection, **extra_context):
        pairs, params = self._pairs(compiler)
        return f"GROUP_CONCAT({pairs}, ',')", params


def keyed_list(model, value):
    """A subquery for ``annotate``: ``value`` of each of the melding's rows of ``model``
    (a model with a ``melding`` key) as one string; ``split_keyed`` reads it back."""
    return Subquery(
        model.objects.filter(melding=OuterRef("pk"))
        .values("melding")
        .annotate(joined=_Keyed("pk", value))
        .values("joined")
    )


def split_keyed(joined):
    """The values of a ``keyed_list`` annotation in the order their rows were recorded."""
    if not joined:
        return []
    pairs = sorted((int(key), value) for key, value in (p.split(":", 1) for p in joined.split(",")))
    return [value for _key, value in pairs]


# Annotate as ``category_list``: the category values in the order they were recorded.
CATEGORY_LIST = keyed_list(MeldingCategory, "category")


def category_labels(melding):
    """``melding.category_labels()``, from the ``category_list`` annotation."""
    return [Category(value).label for value in split_keyed(melding.category_list)]
