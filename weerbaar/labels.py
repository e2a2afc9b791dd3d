"""Labels and links for the rows of a list, looked up once per list.

``get_FOO_display()`` turns the field's whole choice list into a dict on every call,
translating every label to hash it; on a page of 25 rows with three such columns that is
thousands of translation lookups. Here the choices are read once and each row gets
``FOO_label`` with the same text. Likewise ``{% url %}`` per row walks the URL resolver
for every row: ``with_links`` reverses once. And ``|date`` per cell builds a formatter and
reads the format setting each time: ``with_dates`` formats each distinct day once."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.encoding import force_str

__all__ = ["with_dates", "with_labels", "with_links"]

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


def with_links(objects, viewname, attr="url", after=()):
    """Each object gets ``attr``: the URL of ``viewname`` (a route taking the primary key as
    its first argument, then the fixed ``after``) for it, the same text as
    ``reverse(viewname, args=[obj.pk, *after])``. Returns the objects as a list."""
    objects = list(objects)
    if not objects:
        return objects
    head, found, tail = reverse(viewname, args=[_STAND_IN, *after]).partition(str(_STAND_IN))
    if not found:
        raise ValueError(f"{viewname}: the primary key is not in its URL")
    for obj in objects:
        setattr(obj, attr, f"{head}{int(obj.pk)}{tail}")
    return objects


# Formats that show a date without its time: rows on the same day share one text.
_DAY_FORMATS = {"DATE_FORMAT", "SHORT_DATE_FORMAT", "MONTH_DAY_FORMAT", "YEAR_MONTH_FORMAT"}


def with_dates(objects, name, fmt="DATE_FORMAT"):
    """Each object gets ``NAME_iso`` and ``NAME_text`` for its datetime ``name``: the texts
    of ``{{ value|date:'c' }}`` and ``{{ value|date:fmt }}`` (in the current time zone and
    language), or None for no value. Returns the objects as a list."""
    objects = list(objects)
    texts = {}
    for obj in objects:
        value = getattr(obj, name)
        iso = text = None
        if value is not None:
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            iso = local.isoformat()
            key = local.date() if fmt in _DAY_FORMATS else local
            text = texts.get(key)
            if text is None:
                text = texts[key] = formats.date_format(local, fmt)
        setattr(obj, f"{name}_iso", iso)
        setattr(obj, f"{name}_text", text)
    return objects
