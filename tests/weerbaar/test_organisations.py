from django.core.management import call_command

from weerbaar.constants import OrganisationKind
from weerbaar.models import Organisation


def test_reference_data_loads_every_organisation_once(organisations):
    call_command("load_organisations", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Organisation.objects.filter(kind=OrganisationKind.GEMEENTE).count() == 342
    assert Organisation.objects.filter(kind=OrganisationKind.PROVINCIE).count() == 12
    assert Organisation.objects.filter(kind=OrganisationKind.WATERSCHAP).count() == 21
    assert set(
        Organisation.objects.filter(kind=OrganisationKind.NATIONAL).values_list("code", flat=True)
    ) == {"BZK", "CCV", "OTWB"}


def test_gemeente_knows_its_province(organisations):
    utrecht = Organisation.objects.get(code="GM0344")
    assert utrecht.province.code == "PV26"
    assert Organisation.objects.get(code="PV26").province.code == "PV26"
