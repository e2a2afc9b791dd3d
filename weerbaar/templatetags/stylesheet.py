"""The portal's stylesheet in the page's head: inline on a first visit, else the link
(``weerbaar.stylesheet``)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from weerbaar.stylesheet import inline_for, portal_stylesheet

__all__ = ["portal_stylesheet_head", "portal_stylesheet_later"]

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_stylesheet_head(context):
    request = context.get("request")
    if request is None:
        return format_html('<link rel="stylesheet" href="{}">', portal_stylesheet().href)
    sheet, inline = inline_for(request)
    if inline:
        # The text is the built file, checked to hold no "</" (weerbaar.stylesheet).
        return mark_safe(f"<style>{sheet.text}</style>")  # noqa: S308
    return format_html('<link rel="stylesheet" href="{}">', sheet.href)


@register.simple_tag(takes_context=True)
def portal_stylesheet_later(context):
    """After the page: the file into the browser's cache when the page carried it inline."""
    chosen = getattr(context.get("request"), "_portal_stylesheet", None)
    if chosen is None or not chosen[1]:
        return ""
    return format_html('<link rel="prefetch" href="{}">', chosen[0].href)
