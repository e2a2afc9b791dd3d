import pytest
from django.core.management import call_command

from weerbaar.constants import Position, Role
from weerbaar.models import Organisation

from ..factories import make_user

SUBSET = """kind,code,name,province_code
provincie,PV20,Groningen,PV20
provincie,PV26,Utrecht,PV26
gemeente,GM0014,Groningen,PV20
gemeente,GM0344,Utrecht,PV26
gemeente,GM0307,Amersfoort,PV26
waterschap,WS0636,Hoogheemraadschap De Stichtse Rijnlanden,
"""


@pytest.fixture
def organisations(db, tmp_path):
    """The organisations these tests use, loaded by the production command from a subset
    of the reference list (the full list makes every test seconds slower)."""
    source = tmp_path / "organisations.csv"
    source.write_text(SUBSET, encoding="utf-8")
    call_command("load_organisations", file=str(source), verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Organisation.objects


@pytest.fixture
def raadslid_a(gemeente_a):
    return make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)


@pytest.fixture
def wethouder_a(gemeente_a):
    return make_user(Role.OFFICE_HOLDER, gemeente_a, Position.WETHOUDER)


@pytest.fixture
def burgemeester_a(gemeente_a):
    return make_user(Role.OFFICE_HOLDER, gemeente_a, Position.BURGEMEESTER)


@pytest.fixture
def ambtenaar_a(gemeente_a):
    return make_user(Role.CIVIL_SERVANT, gemeente_a)


@pytest.fixture
def secretaris_a(gemeente_a):
    return make_user(Role.SECRETARIS, gemeente_a)


@pytest.fixture
def voorzitter_a(gemeente_a):
    return make_user(Role.VOORZITTER, gemeente_a)


@pytest.fixture
def raadslid_b(gemeente_b):
    return make_user(Role.OFFICE_HOLDER, gemeente_b, Position.RAADSLID)


@pytest.fixture
def secretaris_b(gemeente_b):
    return make_user(Role.SECRETARIS, gemeente_b)


@pytest.fixture
def voorzitter_b(gemeente_b):
    return make_user(Role.VOORZITTER, gemeente_b)


@pytest.fixture
def vertrouwenspersoon(otwb_org):
    return make_user(Role.VERTROUWENSPERSOON, otwb_org)


@pytest.fixture
def provincie_griffier(provincie):
    return make_user(Role.GRIFFIER, provincie)


@pytest.fixture
def cdk(provincie):
    return make_user(Role.VOORZITTER, provincie)
