"""What a traject is found by in the OTWB trajecten search box (weerbaar/search.py): the
organisation's name and code, its province and the tour. A traject has no reference of its
own; its page is reached through the organisation."""

from weerbaar import search

from .models import Traject

KIND = "otwb.traject"


def texts(traject):
    organisation = traject.organisation
    yield organisation.name
    yield organisation.code
    if organisation.province_id:
        yield organisation.province.name
    yield traject.tour.name


def register():
    search.register(
        KIND,
        Traject,
        texts,
        fields=("organisation", "tour"),
        related=("organisation", "organisation__province", "tour"),
    )
