import pytest

from otwb.models import Tour
from weerbaar.constants import Role

from ..factories import make_user
from .factories import TourFactory


@pytest.fixture
def tour(db) -> Tour:
    return TourFactory(name="Ronde 2022–2025")


@pytest.fixture
def coordinator(otwb_org):
    return make_user(Role.OTWB_COORDINATOR, otwb_org)
