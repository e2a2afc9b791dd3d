"""Amounts of money in the one Dutch notation of the portal: "€ 2.500,00".

Independent of the active language, like the dates: an amount in a Dutch scheme reads the
same for everyone (and in an export), and a browser set to English must not turn 2.500,00
into 2,500.00. A non-breaking space keeps the sign with its number when a cell wraps."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

__all__ = ["euro", "format_euro"]

register = template.Library()


def format_euro(value):
    """ "€ 2.500,00" for 2500 (a number or numeric text); "" for None or non-numbers."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    grouped = f"{abs(amount):,.2f}".translate(str.maketrans(",.", ".,"))
    return f"€\u00a0{sign}{grouped}"


@register.filter
def euro(value):
    return format_euro(value)
