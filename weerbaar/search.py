"""Search over encrypted text through blind indexes (docs/search.md).

The text a list is searched by (a reporter's name, what the reporter wrote about the
perpetrator, a home address) is encrypted at rest, so the database cannot look into it.
Instead every indexed object gets rows in ``SearchToken``: for each normalised word of its
text, and each prefix of three letters or more, a keyed HMAC (``SEARCH_INDEX_KEY``, apart from
the field keys) truncated to 16 bytes. A query is normalised the same way; each of its words
must be among an object's tokens (AND), which SQL checks in one semi-join on the
``(kind, token, object_id)`` index, inside the list's own scoped queryset.

An app registers what it indexes with ``register`` (in its ``AppConfig.ready``): the core
knows no app. Saving a registered model reindexes it in the same transaction;
``rebuild`` (``manage.py rebuild_search_index``, and ``rotate_encryption_keys``) recomputes
everything, batch by batch, e.g. after the search key changed.
"""

import base64
import hmac
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from hashlib import sha256

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction
from django.db.models import Count, Exists, F, Lookup, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_save
from django.utils import translation

from .models import SearchToken

__all__ = [
    "MIN_LENGTH",
    "Index",
    "among",
    "blind",
    "filter_queryset",
    "index_objects",
    "index_terms",
    "normalise",
    "query_terms",
    "rebuild",
    "register",
    "registered",
    "reindex",
]

MIN_LENGTH = 3  # shorter words are neither indexed nor searched
MAX_LENGTH = 24  # longer words are indexed and searched by their first 24 characters
MAX_TERMS = 8  # words of a query beyond this are ignored
MAX_JOINED = 5  # up to this many words, their token ranges are joined (see ``_ids``)
TOKEN_BYTES = 16
BATCH = 500

_SPLIT = re.compile(r"[\W_]+")


def normalise(text: str) -> list[str]:
    """The words of ``text``: case-folded, accents stripped ("Ölçer" → "olcer"), split on
    everything that is not a letter or digit (so "@jan_de_boer" gives "jan", "de", "boer")."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return [w for w in _SPLIT.split(plain) if w]


def index_terms(*texts: str) -> set[str]:
    """What an object is found by: every prefix of three characters or more of each word,
    the whole word included ("jansen" → "jan", "jans", "janse", "jansen")."""
    terms = set()
    for text in texts:
        for word in normalise(text or ""):
            word = word[:MAX_LENGTH]
            terms.update(word[:n] for n in range(MIN_LENGTH, len(word) + 1))
    return terms


def query_terms(query: str) -> list[str]:
    """The words of a query that are searched for (each must match), in order, once each."""
    seen = []
    for word in normalise(query or ""):
        word = word[:MAX_LENGTH]
        if len(word) >= MIN_LENGTH and word not in seen:
            seen.append(word)
    return seen[:MAX_TERMS]


@lru_cache(maxsize=4)
def _parse_key(raw: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(raw)
    except ValueError as exc:
        raise ImproperlyConfigured("SEARCH_INDEX_KEY is not base64.") from exc
    if len(key) != 32:
        raise ImproperlyConfigured("SEARCH_INDEX_KEY must be 32 bytes (urlsafe base64).")
    return key


def _key() -> bytes:
    return _parse_key(settings.SEARCH_INDEX_KEY)


def blind(kind: str, term: str) -> bytes:
    """The token stored for ``term`` of an object of ``kind``: the same word gives different
    tokens in different indexes, so the tables cannot be joined on it."""
    mac = hmac.new(_key(), f"{kind}\x00{term}".encode(), sha256)
    return mac.digest()[:TOKEN_BYTES]


# --- registry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Index:
    kind: str
    model: type
    # (obj) -> the strings it is found by; called with the active language Dutch.
    texts: object
    # Fields whose change changes the texts: a save that names only other fields (a status
    # change with update_fields) does not reindex.
    fields: frozenset = frozenset()
    related: tuple = ()  # select_related for reindexing in bulk
    # "M" when "M-000123" (or "123") names object 123; empty when objects have no reference.
    reference: str = ""
    # The foreign key to the user whose name is indexed: renaming them reindexes.
    owner: str = ""

    def reference_pk(self, query: str):
        if not self.reference:
            return None
        pattern = rf"\s*(?:{re.escape(self.reference)}-?)?0*(\d{{1,12}})\s*"
        match = re.fullmatch(pattern, query, re.IGNORECASE)
        return int(match.group(1)) if match else None


_REGISTRY: dict[str, Index] = {}


def register(kind, model, texts, *, fields=(), related=(), reference="", owner=""):
    """Index ``model`` as ``kind``: saving one reindexes it, deleting one drops its tokens."""
    index = Index(kind, model, texts, frozenset(fields), tuple(related), reference, owner)
    _REGISTRY[kind] = index
    post_save.connect(_saved, sender=model, dispatch_uid=f"search-save-{kind}")
    post_delete.connect(_deleted, sender=model, dispatch_uid=f"search-delete-{kind}")
    if owner:
        post_save.connect(
            _owner_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="search-owner-save"
        )
    return index


def registered(kind=None):
    if kind is not None:
        return _REGISTRY[kind]
    return list(_REGISTRY.values())


def _index_for(model):
    return next((i for i in _REGISTRY.values() if i.model is model), None)


def _saved(sender, instance, update_fields=None, raw=False, **kwargs):
    index = _index_for(sender)
    if raw or index is None:
        return
    if update_fields is not None and not (set(update_fields) & index.fields):
        return
    index_objects(index.kind, [instance])


def _deleted(sender, instance, **kwargs):
    index = _index_for(sender)
    if index is not None:
        SearchToken.objects.filter(kind=index.kind, object_id=instance.pk).delete()


def _owner_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields is not None and "full_name" not in update_fields):
        return
    for index in _REGISTRY.values():
        if index.owner:
            pks = index.model._base_manager.filter(**{index.owner: instance}).values_list(
                "pk", flat=True
            )
            reindex(index.kind, list(pks))


# --- writing -------------------------------------------------------------------------------


def tokens_for(index, obj):
    """The tokens of one object (the load generator writes them in bulk itself)."""
    with translation.override("nl"):
        texts = [str(t) for t in index.texts(obj) if t]
    return [blind(index.kind, term) for term in sorted(index_terms(*texts))]


def rows_for(index, obj):
    """The unsaved ``SearchToken`` rows of one object."""
    return [
        SearchToken(kind=index.kind, object_id=obj.pk, token=token)
        for token in tokens_for(index, obj)
    ]


def index_objects(kind, objects):
    """Replace the tokens of these saved objects."""
    index = _REGISTRY[kind]
    objects = [o for o in objects if o.pk is not None]
    if not objects:
        return 0
    rows = [row for obj in objects for row in rows_for(index, obj)]
    with transaction.atomic():
        SearchToken.objects.filter(kind=kind, object_id__in=[o.pk for o in objects]).delete()
        # Two transactions reindexing one object at once: the second's rows are the same.
        SearchToken.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    return len(rows)


def reindex(kind, pks, *, batch_size=BATCH):
    """Recompute the tokens of these objects (after an update that bypassed ``save``:
    anonymisation, a purge)."""
    index = _REGISTRY[kind]
    pks = sorted(set(pks))
    for start in range(0, len(pks), batch_size):
        chunk = pks[start : start + batch_size]
        objects = list(
            index.model._base_manager.filter(pk__in=chunk).select_related(*index.related)
        )
        index_objects(kind, objects)
        gone = set(chunk) - {o.pk for o in objects}
        if gone:
            SearchToken.objects.filter(kind=kind, object_id__in=gone).delete()


def rebuild(kind=None, *, batch_size=BATCH, log=None):
    """Recompute every index (or one): batch by batch, each batch in its own transaction,
    so searching keeps working while it runs; then drop tokens of objects that are gone.
    Returns the number of objects indexed."""
    total = 0
    for index in [_REGISTRY[kind]] if kind else _REGISTRY.values():
        manager = index.model._base_manager
        last, count = 0, 0
        while True:
            pks = list(
                manager.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size]
            )
            if not pks:
                break
            reindex(index.kind, pks, batch_size=batch_size)
            count += len(pks)
            last = pks[-1]
        exists = manager.filter(pk=OuterRef("object_id"))
        SearchToken.objects.filter(kind=index.kind).exclude(Exists(exists)).delete()
        if log:
            log(f"{index.kind}: {count}")
        total += count
    return total


# --- querying ------------------------------------------------------------------------------


def filter_queryset(queryset, kind, query):
    """``queryset`` narrowed to what ``query`` finds: its reference, or every word of it
    among the object's tokens. The scope stays ``queryset``'s own."""
    index = _REGISTRY[kind]
    pk = index.reference_pk(query)
    terms = query_terms(query)
    if pk is not None and not (terms and query.strip().isdigit()):
        return queryset.filter(pk=pk)
    if not terms:
        return queryset.none()
    if pk is not None:
        # A bare number: the object it refers to, or a number in the text (a postcode).
        return queryset.filter(Q(pk=pk) | Q(pk__in=_ids(kind, terms[:1])))
    return queryset.filter(pk__in=_ids(kind, terms))


def _ids(kind, terms):
    """The ids of the objects that have every term. One term: its range of the
    ``(kind, token, object_id)`` index. Two to five (nearly every search): that range
    joined with each other term's on ``object_id`` (``_all_of``); each range comes out of
    the index in ``object_id`` order, so PostgreSQL merges them in one ordered pass over
    each, and never looks an object of the more common word up one by one."""
    tokens = [blind(kind, term) for term in terms]
    if len(tokens) == 1:
        return SearchToken.objects.filter(kind=kind, token=tokens[0]).values("object_id")
    if len(tokens) <= MAX_JOINED:
        return _all_of(kind, tokens)
    # More words: PostgreSQL would spend longer choosing the order of so many joins than
    # running them (at scale 1, planning took 2 ms for 5 words, 16 for 6, 150 for 8). One
    # scan of all the ranges, grouped by object, as before: COUNT(*), since
    # (kind, token, object_id) is unique.
    rows = SearchToken.objects.filter(kind=kind, token__in=tokens).values("object_id")
    return rows.annotate(n=Count("*")).filter(n=len(tokens)).values("object_id")


def _all_of(kind, tokens):
    """``object_id IN`` this: the objects holding every one of ``tokens``, as SQL of
    constant text per number of terms (table and column names from the model).

    It was one scan of all the terms' ranges, grouped by object (``GROUP BY object_id
    HAVING COUNT(*) = n``): at scale 1 "Daan Jacobs" read 9 554 index entries into a hash
    of 9 068 objects to keep 486; merged, the two ranges give the 486 at once, and the
    search page's PostgreSQL CPU fell from 12 to 9 ms (docs/performance.md, change 20)."""
    meta, quote = SearchToken._meta, connections[SearchToken.objects.db].ops.quote_name
    table = quote(meta.db_table)
    kind_col, token_col, object_col = (
        quote(meta.get_field(name).column) for name in ("kind", "token", "object_id")
    )
    joins = "".join(
        f" JOIN {table} t{n} ON t{n}.{kind_col} = t0.{kind_col}"
        f" AND t{n}.{token_col} = %s AND t{n}.{object_col} = t0.{object_col}"
        for n in range(1, len(tokens))
    )
    sql = (
        f"SELECT t0.{object_col} FROM {table} t0{joins}"  # noqa: S608 (names from the model)
        f" WHERE t0.{kind_col} = %s AND t0.{token_col} = %s"
    )
    return RawSQL(sql, (*tokens[1:], kind, tokens[0]))  # noqa: S611 (names from the model; values as parameters)


class _AnyOf(Lookup):
    """``lhs = ANY(%s)``: the values as one array parameter."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, list(self.rhs))


def among(queryset, ids):
    """``queryset`` narrowed to the primary keys ``ids`` (what a search found). On PostgreSQL
    the ids are one array parameter: as ``pk__in`` a search that found hundreds of meldingen
    sent a parameter for each, adapted by psycopg one by one, and PostgreSQL parsed and
    planned them as a list of constants, on every page of the results."""
    ids = list(ids)
    if not ids:
        return queryset.none()
    if connections[queryset.db].vendor != "postgresql":
        return queryset.filter(pk__in=ids)
    return queryset.filter(_AnyOf(F("pk"), ids))
