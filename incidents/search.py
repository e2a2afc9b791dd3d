"""What a melding is found by in the triage dashboard's search box (weerbaar/search.py):
the reporter's name, what the reporter wrote about the perpetrator (a name, an account
handle), where it happened, its categories and the reporter's organisation. Not the
description: the longest and most sensitive text, and not what a triager looks a case up by."""

from weerbaar import search

from .constants import Category, Place
from .models import Melding

KIND = "incidents.melding"


def texts(melding):
    if melding.reporter_id:
        yield melding.reporter.full_name
    yield melding.perpetrator_details
    if melding.place in Place.values:
        yield Place(melding.place).label
    for code in melding.category_codes.strip(",").split(","):
        if code in Category.values:
            yield Category(code).label
    yield melding.organisation.name


def register():
    search.register(
        KIND,
        Melding,
        texts,
        fields=("reporter", "perpetrator_details", "place", "category_codes", "organisation"),
        related=("reporter", "organisation"),
        reference="M",
        owner="reporter",
    )
