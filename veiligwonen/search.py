"""What an application is found by in the Veilig Wonen queue's search box
(weerbaar/search.py): the applicant's name, the home address (street and place, encrypted at
rest), the employer and the position."""

from weerbaar import search
from weerbaar.constants import Position

from .models import Application

KIND = "veiligwonen.application"


def texts(application):
    yield application.applicant.full_name
    yield application.home_address
    yield application.organisation.name
    if application.position in Position.values:
        yield Position(application.position).label


def register():
    search.register(
        KIND,
        Application,
        texts,
        fields=("applicant", "home_address", "organisation", "position"),
        related=("applicant", "organisation"),
        reference="VW",
        owner="applicant",
    )
