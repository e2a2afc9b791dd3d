"""A count as the pages show it: the figure, or "meer dan 1.000" when it was read up to a
cap (``weerbaar.counting``)."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext

__all__ = ["tally"]

register = template.Library()


@register.filter
def tally(value):
    if getattr(value, "capped", False):
        return gettext("meer dan %(n)s") % {"n": number_format(value.cap, force_grouping=True)}
    return value
