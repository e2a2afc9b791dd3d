import io

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


def _load():
    out = io.StringIO()
    call_command("load_organisations", stdout=out)
    return out.getvalue().strip()


def test_a_fresh_load_counts_every_organisation_as_new_and_none_as_updated(organisations):
    Organisation.objects.update(province=None)
    Organisation.objects.all().delete()

    assert _load() == (
        "Organisaties: 378 nieuw, 0 bijgewerkt, 378 in totaal; 378 profielen aangevuld uit de "
        "referentiegegevens."
    )
    assert _load() == (
        "Organisaties: 0 nieuw, 0 bijgewerkt, 378 in totaal; 0 profielen aangevuld uit de "
        "referentiegegevens."
    )
    Organisation.objects.filter(code="GM0344").update(name="Utrecht (oud)")
    assert _load() == (
        "Organisaties: 0 nieuw, 1 bijgewerkt, 378 in totaal; 0 profielen aangevuld uit de "
        "referentiegegevens."
    )
    assert Organisation.objects.get(code="GM0344").name == "Utrecht"
