"""The case's history as the triager's page shows it: the timeline, the internal notes and
the messages, read in one query (UNION ALL) whatever the case holds. Read one by one, the
notes and messages cost a query of their own on a case that has any, so the page made one
query more for a case with a message than for one without (docs/performance.md, scale 1
against scale 10).

The statement is the same for every case but for the case's id: it is built and compiled by
the ORM once per process for each combination of parts (``_statement``), and each request
puts its case's id in (building and compiling the union of three annotated querysets was
about 1 ms of every case page)."""

from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    DateTimeField,
    F,
    IntegerField,
    TextField,
    Value,
)
from django.db.models import ExpressionWrapper as As

from weerbaar.models import User

from ..models import InternalNote, Message, TimelineEntry

__all__ = ["read_history"]

# The columns every part of the union selects, in this order.
COLUMNS = ("h_box", "h_pk", "h_at", "h_user", "h_name", "h_email", "h_kind", "h_code")
SEALED = ("h_first", "h_second")  # encrypted text, opened by the field of the row's model
COLUMNS += (*SEALED, "h_internal")

TIMELINE, NOTES, MESSAGES = range(3)


def _text(value=""):
    return Value(value, output_field=TextField())


def _sealed(name):
    """An encrypted column as stored (each model's text has its own key context)."""
    return As(F(name), output_field=TextField())


def _timeline(pk):
    return TimelineEntry.objects.filter(melding_id=pk).annotate(
        h_box=Value(TIMELINE, output_field=IntegerField()),
        h_pk=F("pk"),
        h_at=F("at"),
        h_user=F("actor_id"),
        # The timeline shows no actor: no join for it.
        h_name=_text(),
        h_email=_text(),
        h_kind=As(F("kind"), output_field=CharField()),
        h_code=As(F("code"), output_field=CharField()),
        h_first=_sealed("params"),
        h_second=_sealed("summary"),
        h_internal=F("internal"),
    )


def _written(model, box, pk):
    return model.objects.filter(melding_id=pk).annotate(
        h_box=Value(box, output_field=IntegerField()),
        h_pk=F("pk"),
        h_at=As(F("created_at"), output_field=DateTimeField()),
        h_user=F("author_id"),
        h_name=As(F("author__full_name"), output_field=TextField()),
        h_email=As(F("author__email"), output_field=TextField()),
        h_kind=_text(),
        h_code=_text(),
        h_first=_sealed("body"),
        h_second=_text(),
        h_internal=Value(model is InternalNote, output_field=BooleanField()),
    )


WRITTEN = ((NOTES, InternalNote, "has_notes"), (MESSAGES, Message, "has_messages"))
# The case's id while the statement is built, replaced by the case's own in its parameters:
# no other parameter of the statement is an integer of this size.
STAND_IN = -987_654_321
_statements = {}


def _is_stand_in(param):
    return type(param) is int and param == STAND_IN


def _statement(boxes):
    """(SQL, parameters) of the union of the timeline and the written parts in ``boxes``
    (NOTES, MESSAGES), for the stand-in case."""
    if boxes not in _statements:
        parts = [_timeline(STAND_IN)]
        parts += [_written(model, box, STAND_IN) for box, model, _flag in WRITTEN if box in boxes]
        parts = [part.order_by().values_list(*COLUMNS) for part in parts]
        rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        sql, params = rows.query.sql_with_params()
        if sum(map(_is_stand_in, params)) != len(parts):
            raise AssertionError("the case's id is not each part's only stand-in")
        _statements[boxes] = sql, params
    return _statements[boxes]


def _opened(model, name, sealed):
    return model._meta.get_field(name).from_db_value(sealed, None, connection)


def read_history(melding):
    """(timeline, notes, messages) of ``melding``, each in its page's order: the timeline's
    lines as ``TimelineEntry``, the notes and messages with their author (name and address,
    what the page shows of them)."""
    # A case fetched with its flags (``case._fetch``) says whether it has notes or
    # messages: an empty list adds nothing to the query.
    boxes = tuple(box for box, model, flag in WRITTEN if getattr(melding, flag, True))
    sql, params = _statement(boxes)
    with connection.cursor() as cursor:
        cursor.execute(sql, [melding.pk if _is_stand_in(p) else p for p in params])
        rows = cursor.fetchall()
    timeline, notes, messages = [], [], []
    for box, pk, at, user_id, name, email, kind, code, first, second, internal in rows:
        if box == TIMELINE:
            timeline.append(
                TimelineEntry(
                    pk=pk,
                    melding_id=melding.pk,
                    at=at,
                    actor_id=user_id,
                    kind=kind,
                    code=code,
                    params=_opened(TimelineEntry, "params", first),
                    summary=_opened(TimelineEntry, "summary", second),
                    internal=internal,
                )
            )
            continue
        model = InternalNote if box == NOTES else Message
        item = model(
            pk=pk,
            melding_id=melding.pk,
            author_id=user_id,
            created_at=at,
            body=_opened(model, "body", first),
        )
        item.author = User(pk=user_id, full_name=name, email=email)
        (notes if box == NOTES else messages).append(item)
    timeline.sort(key=lambda entry: (entry.at, entry.pk))
    for items in (notes, messages):
        items.sort(key=lambda item: (item.created_at, item.pk))
    return timeline, notes, messages
