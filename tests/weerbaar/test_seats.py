"""The reference table of seats: the loader (idempotent, audited, an organisation's own
number kept, every bad row refused in Dutch before anything is written) and the entry on
the organisation's profile (own organisation only, checked against the law, audited)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from weerbaar.constants import AuditAction, Position, Role, SeatSource
from weerbaar.models import AuditEvent, SeatCount

from ..factories import make_user
from .test_profiles import OWN, filled, of

pytestmark = pytest.mark.django_db

HEADER = "code,position,seats,reference_date,source\n"


def load(file=None):
    out = io.StringIO()
    call_command("load_seats", *(["--file", str(file)] if file else []), stdout=out)
    return out.getvalue().strip()


def reference_loads():
    return AuditEvent.objects.filter(action=AuditAction.UPDATE, detail__reference="zetels")


def test_the_shipped_file_loads_once_and_a_reload_changes_nothing(organisations):
    assert load() == (
        "Zetels: 366 nieuw, 0 bijgewerkt, 0 door de organisatie zelf opgegeven en behouden, "
        "366 in het bestand."
    )
    assert SeatCount.objects.filter(position=Position.BURGEMEESTER, seats=1).count() == 342
    assert SeatCount.objects.filter(position=Position.CDK, seats=1).count() == 12
    drenthe = SeatCount.objects.get(organisation__code="PV22", position=Position.STATENLID)
    assert (drenthe.seats, drenthe.source) == (43, SeatSource.REFERENCE)
    assert sum(SeatCount.objects.filter(position="statenlid").values_list("seats", flat=True)) == (
        572
    )
    assert reference_loads().count() == 1
    assert reference_loads().get().detail["created"] == 366

    assert load() == (
        "Zetels: 0 nieuw, 0 bijgewerkt, 0 door de organisatie zelf opgegeven en behouden, "
        "366 in het bestand."
    )
    assert SeatCount.objects.count() == 366
    assert reference_loads().count() == 1  # nothing changed, nothing to audit


def test_a_reload_updates_reference_rows_but_keeps_what_an_organisation_entered(
    organisations, tmp_path
):
    load()
    utrecht = SeatCount.objects.get(organisation__code="PV26", position=Position.STATENLID)
    SeatCount.objects.filter(organisation__code="PV20", position=Position.STATENLID).update(
        seats=45, source=SeatSource.ORGANISATION
    )
    utrecht.seats = 47
    utrecht.save()
    assert load() == (
        "Zetels: 0 nieuw, 1 bijgewerkt, 1 door de organisatie zelf opgegeven en behouden, "
        "366 in het bestand."
    )
    assert SeatCount.objects.get(pk=utrecht.pk).seats == 49
    groningen = SeatCount.objects.get(organisation__code="PV20", position=Position.STATENLID)
    assert (groningen.seats, groningen.source) == (45, SeatSource.ORGANISATION)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("GM9999,burgemeester,1,2026-01-01,x", "Regel 3: onbekende organisatiecode “GM9999”."),
        ("GM0344,voorzitter,1,2026-01-01,x", "Regel 3: onbekende functie “voorzitter”."),
        (
            "GM0344,statenlid,41,2026-01-01,x",
            "Regel 3: de functie Statenlid bestaat niet bij Gemeente Utrecht.",
        ),
        (
            "GM0344,burgemeester,2,2026-01-01,x",
            "Regel 3: er is volgens de wet 1 Burgemeester per organisatie, niet 2.",
        ),
        ("GM0344,raadslid,44,2026-01-01,x", "Regel 3: 44 zetels voor Raadslid kan volgens de wet"),
        ("GM0344,raadslid,veel,2026-01-01,x", "is geen geheel getal groter dan 0"),
        ("GM0344,raadslid,0,2026-01-01,x", "is geen geheel getal groter dan 0"),
        ("GM0344,raadslid,45,1-1-2026,x", "de peildatum “1-1-2026” is geen datum"),
        ("GM0344,raadslid,45,2026-01-01,", "Regel 3: de bron ontbreekt."),
        (
            "GM0014,burgemeester,1,2026-01-01,x",
            "Regel 3: Gemeente Groningen en Burgemeester staan al op een eerdere regel.",
        ),
    ],
)
def test_a_bad_row_is_named_in_dutch_and_nothing_is_written(organisations, tmp_path, row, message):
    file = tmp_path / "seats.csv"
    file.write_text(HEADER + "GM0014,burgemeester,1,2026-01-01,Gemeentewet\n" + row + "\n")
    with pytest.raises(CommandError) as error:
        load(file)
    assert "niets is gewijzigd" in str(error.value)
    assert message in str(error.value)
    assert not SeatCount.objects.exists() and not reference_loads().exists()


def test_a_file_without_a_column_is_refused_in_dutch(organisations, tmp_path):
    file = tmp_path / "seats.csv"
    file.write_text("code,position,seats\nGM0014,burgemeester,1\n")
    with pytest.raises(CommandError, match="mist de kolom\\(men\\): reference_date, source"):
        load(file)


def raad(number, **overrides):
    return filled(**{"seats_raadslid": number, "seats_wethouder": "", **overrides})


def test_griffier_enters_the_size_of_the_raad_and_it_is_audited(client_for, griffier_a, gemeente_a):
    response = client_for(griffier_a).post(OWN, raad("45", seats_wethouder="5"))
    assert response.status_code == 302
    counts = {s.position: s for s in SeatCount.objects.filter(organisation=gemeente_a)}
    assert {p: s.seats for p, s in counts.items()} == {"raadslid": 45, "wethouder": 5}
    assert counts["raadslid"].source == SeatSource.ORGANISATION
    assert counts["raadslid"].updated_by == griffier_a
    line = AuditEvent.objects.get(action=AuditAction.UPDATE, detail__has_key="seats")
    assert line.actor == griffier_a and line.organisation_id == gemeente_a.pk
    assert line.detail["seats"] == {"raadslid": 45, "wethouder": 5}
    page = client_for(griffier_a).get(OWN).content.decode()
    assert 'name="seats_raadslid"' in page and 'value="45"' in page

    # The same numbers again: nothing written, nothing audited; emptied: removed.
    client_for(griffier_a).post(OWN, raad("45", seats_wethouder="5"))
    assert AuditEvent.objects.filter(detail__has_key="seats").count() == 1
    client_for(griffier_a).post(OWN, raad("45"))
    assert not SeatCount.objects.filter(organisation=gemeente_a, position="wethouder").exists()


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("44", "9 tot en met 39"),
        ("41", "9 tot en met 39"),
        ("7", "Vul een aantal van minstens 9 in."),
        ("vijfenveertig", "Vul een heel getal in"),
    ],
)
def test_a_raad_size_the_law_does_not_allow_is_refused_in_dutch(
    client_for, griffier_a, gemeente_a, number, message
):
    response = client_for(griffier_a).post(OWN, raad(number))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SeatCount.objects.filter(organisation=gemeente_a).exists()


def test_griffier_of_another_gemeente_cannot_enter_its_seats(client_for, griffier_b, gemeente_a):
    response = client_for(griffier_b).post(of(gemeente_a), raad("45"))
    assert response.status_code == 404
    assert not SeatCount.objects.exists()
    assert not AuditEvent.objects.filter(detail__has_key="seats").exists()


def test_a_forged_form_cannot_set_a_fixed_or_foreign_position(client_for, griffier_a, gemeente_a):
    """The burgemeester is one by law and Staten are no gemeente's: fields the form does not
    offer are ignored, whatever the post says."""
    response = client_for(griffier_a).post(
        OWN, raad("45", seats_burgemeester="3", seats_statenlid="55", seats_ab_lid="30")
    )
    assert response.status_code == 302
    assert set(
        SeatCount.objects.filter(organisation=gemeente_a).values_list("position", flat=True)
    ) == {"raadslid"}
    page = client_for(griffier_a).get(OWN).content.decode()
    assert 'name="seats_burgemeester"' not in page and 'name="seats_statenlid"' not in page


def test_a_raadslid_cannot_reach_the_seats(client_for, gemeente_a):
    raadslid = make_user(Role.OFFICE_HOLDER, gemeente_a)
    assert client_for(raadslid, mfa=False).post(OWN, raad("45")).status_code == 404
    assert not SeatCount.objects.exists()


def test_the_provincie_sees_its_staten_from_the_reference_data(client_for, provincie):
    load()
    statengriffier = make_user(Role.GRIFFIER, provincie)
    page = client_for(statengriffier).get(OWN).content.decode()
    assert 'name="seats_statenlid"' in page and 'value="49"' in page
    assert 'name="seats_cdk"' not in page and "uit referentiegegevens" in page


def test_update_seats_refuses_a_position_outside_the_organisation(gemeente_a, griffier_a):
    from weerbaar.seats import update_seats

    with pytest.raises(ValueError, match="not editable"):
        update_seats(organisation=gemeente_a, actor=griffier_a, values={"statenlid": 55})
    assert not SeatCount.objects.exists()
