import pytest

from tests.factories import OrganisationFactory
from weerbaar.constants import OrganisationKind
from weerbaar.models import Organisation

from .factories import Cast

K = OrganisationKind


@pytest.fixture
def organisations(db):
    """Only the organisations these tests use (loading all 375 costs seconds per test)."""
    for kind, code, name in [
        (K.GEMEENTE, "GM0344", "Utrecht"),
        (K.GEMEENTE, "GM0014", "Groningen"),
        (K.PROVINCIE, "PV26", "Utrecht"),
        (K.WATERSCHAP, "WS0636", "De Stichtse Rijnlanden"),
        (K.NATIONAL, "BZK", "BZK"),
        (K.NATIONAL, "CCV", "CCV"),
        (K.NATIONAL, "OTWB", "OTWB"),
    ]:
        OrganisationFactory(kind=kind, code=code, name=name)
    return Organisation.objects


@pytest.fixture
def cast(gemeente_a, gemeente_b, bzk, ccv):
    return Cast(gemeente_a, gemeente_b, bzk, ccv)
