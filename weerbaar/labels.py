"""Labels and links for the rows of a list, looked up once per list.

``get_FOO_display()`` turns the field's whole choice list into a dict on every call,
translating every label to hash it; on a page of 25 rows with three such columns that is
thousands of translation lookups. Here the choices are read once and each row gets
``FOO_label`` with the same text. Likewise ``{% url %}`` per row walks the URL resolver
for every row: ``with_links`` reverses once."""

from django.urls import reverse
from django.utils.encoding import force_str

__all__ = ["with_labels", "with_links"]

# Stands in for a primary key when a row's link is reversed once for the whole list; no
# other part of a URL holds it.
_STAND_IN = 987654321987


def with_labels(objects, *names):
    objects = list(objects)
    if not objects:
        return objects
    meta = objects[0]._meta
    for name in names:
        field = meta.get_field(name)
        choices = dict(field.flatchoices)
        labels = {}
        for obj in objects:
            value = getattr(obj, field.attname)
            if value not in labels:
                labels[value] = force_str(choices.get(value, value), strings_only=True)
            setattr(obj, f"{name}_label", labels[value])
    return objects


def with_links(objects, viewname, attr="url"):
    """Each object gets ``attr``: the URL of ``viewname`` (a route taking the primary key as
    its one argument) for it, the same text as ``reverse(viewname, args=[obj.pk])``. Returns
    the objects as a list."""
    objects = list(objects)
    if not objects:
        return objects
    head, found, tail = reverse(viewname, args=[_STAND_IN]).partition(str(_STAND_IN))
    if not found:
        raise ValueError(f"{viewname}: the primary key is not in its URL")
    for obj in objects:
        setattr(obj, attr, f"{head}{int(obj.pk)}{tail}")
    return objects
