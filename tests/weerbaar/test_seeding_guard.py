"""seed_demo refuses a database that holds real data (issue 24 §2): its accounts have a
published password, so on a live database they would be a way in. Real data is any account
whose address no seeder makes (weerbaar/seeding.py)."""

import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from incidents.models import Melding
from tests.factories import make_user
from tests.incidents.factories import make_melding
from weerbaar.constants import Position, Role
from weerbaar.demo import ACCOUNTS
from weerbaar.models import User
from weerbaar.seeding import real_accounts


def rows():
    """Rows in every table of the portal: what "changes nothing" is checked against."""
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


@pytest.fixture
def real_melding(griffier_a, gemeente_a):
    raadslid = make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    return make_melding(raadslid)


def seed_demo(*args):
    out = io.StringIO()
    call_command("seed_demo", "--without-history", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_refuses_a_database_with_one_real_melding_and_changes_nothing(
    real_melding, settings
):
    settings.DEMO_MODE = True
    before = rows()
    with pytest.raises(CommandError) as refused:
        seed_demo()
    message = str(refused.value)
    assert "Deze database bevat echte gegevens" in message
    assert "This database holds real data" in message
    assert "--allow-real-data" in message
    # No address of a real person in the message (it ends up in deploy logs).
    assert not any(user.email in message for user in User.objects.all())
    assert rows() == before
    assert not User.objects.filter(email=ACCOUNTS[0][0]).exists()


def test_seed_demo_runs_on_real_data_when_told_to(real_melding, settings):
    settings.DEMO_MODE = True
    output = seed_demo("--allow-real-data")
    assert ACCOUNTS[0][0] in output
    assert User.objects.filter(email__in=[email for email, *_ in ACCOUNTS]).count() == len(ACCOUNTS)
    assert Melding.objects.filter(pk=real_melding.pk).exists()


def test_seed_demo_runs_on_an_empty_database_and_again_on_its_own_data(db, settings):
    settings.DEMO_MODE = True
    assert not User.objects.exists()
    seed_demo()
    # What it made itself (the demo accounts, their meldingen) is not real data.
    assert real_accounts() == 0
    seed_demo()
    assert User.objects.filter(email__in=[email for email, *_ in ACCOUNTS]).count() == len(ACCOUNTS)


def test_the_seeders_own_people_are_not_real_and_everyone_else_is(db):
    from weerbaar.demo_people import DOMAIN

    for email in ("a@load.example", f"b@{DOMAIN}", ACCOUNTS[0][0], "C@LOAD.EXAMPLE"):
        User.objects.create(email=email, full_name="Gemaakt")
    assert real_accounts() == 0
    # Close to a seeder's address is not enough.
    for email in ("d@load.example.nl", "e@notload.example.org", "raadslid@utrecht.demo.nl"):
        User.objects.create(email=email, full_name="Echt")
    assert real_accounts() == 3
