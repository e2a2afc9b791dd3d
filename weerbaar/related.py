"""The rows a list shows of its objects' foreign keys, read with one query per related model
after the list, instead of joined into the list's query.

A join per relation makes PostgreSQL plan the list's query over every table: at scale 1 the
triage list with its reporter, organisation and assignee joined took 1.0-2.7 ms to plan
against 0.2-0.5 ms without them, on every page view. Looking the related rows up by primary
key afterwards costs a trivial query per model; two relations to the same model (reporter
and assignee are both users) share one."""

from collections import defaultdict

__all__ = ["attach"]


def attach(objects, *names, defer=None):
    """Set each foreign key in ``names`` on every object of ``objects`` (a list of one
    model's instances), as ``select_related`` would have: ``obj.reporter`` then needs no
    query, and is None where the key is empty or its row is gone. ``defer`` maps a related
    model to fields the list does not show: not read, so an encrypted one (a user's phone)
    is not decrypted for every row. Returns ``objects``."""
    if not objects:
        return objects
    meta = objects[0]._meta
    by_model = defaultdict(list)
    for name in names:
        field = meta.get_field(name)
        by_model[field.related_model].append(field)
    for model, fields in by_model.items():
        keys = {getattr(obj, f.attname) for obj in objects for f in fields} - {None}
        manager = model._base_manager.defer(*(defer or {}).get(model, ()))
        rows = manager.in_bulk(keys) if keys else {}
        for obj in objects:
            for field in fields:
                field.set_cached_value(obj, rows.get(getattr(obj, field.attname)))
    return objects
