"""seed_load refuses a database that holds real data (issue 24 §2): it would mail real
triagers about fake meldingen. Real data is any account whose address no seeder makes."""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from incidents.models import Melding
from perf.loadgen import EMAIL_DOMAIN
from tests.factories import make_user
from tests.incidents.factories import make_melding
from weerbaar.constants import Position, Role
from weerbaar.models import User

SCALE = 0.001


def rows():
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


@pytest.fixture
def real_melding(griffier_a, gemeente_a):
    raadslid = make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    return make_melding(raadslid)


def test_seed_load_refuses_a_database_with_one_real_melding_and_changes_nothing(real_melding):
    before = rows()
    with pytest.raises(CommandError) as refused:
        call_command("seed_load", scale=SCALE, verbosity=0, no_sweeps=True)
    assert "Deze database bevat echte gegevens" in str(refused.value)
    assert "--allow-real-data" in str(refused.value)
    assert rows() == before


def test_seed_load_runs_on_real_data_when_told_to(real_melding):
    call_command("seed_load", scale=SCALE, verbosity=0, no_sweeps=True, allow_real_data=True)
    assert User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").exists()
    assert Melding.objects.count() > 1
    assert Melding.objects.filter(pk=real_melding.pk).exists()


def test_seed_load_runs_on_an_empty_database(db):
    assert not User.objects.exists()
    call_command("seed_load", scale=SCALE, verbosity=0, no_sweeps=True)
    assert Melding.objects.count() == 100
    # A second run finds only its own people: not real data, so no flag is needed.
    call_command("seed_load", scale=SCALE, verbosity=0, no_sweeps=True)
    assert Melding.objects.count() == 100
