"""The first functioneel beheerder of a new installation comes from the server, once: after
that every functioneel beheerder needs a second one's approval (four eyes)."""

import pytest
from django.core.management import CommandError, call_command

from weerbaar.constants import AuditAction, Role
from weerbaar.models import AuditEvent, Membership, User

from ..factories import make_user

pytestmark = pytest.mark.django_db


def _beheerders():
    return Membership.objects.active().filter(role=Role.FUNCTIONEEL_BEHEERDER)


def test_the_first_beheerder_is_made_once_without_a_password(bzk):
    call_command("bootstrap_beheerder", email=" Eerste@Example.org ", name="Eerste Beheerder")

    user = User.objects.get(email="eerste@example.org")
    assert _beheerders().get().user == user
    assert user.is_staff and user.is_superuser and not user.has_usable_password()
    seeded = AuditEvent.objects.get(action=AuditAction.MEMBERSHIP_SEEDED)
    assert seeded.detail["source"] == "manage.py bootstrap_beheerder"

    with pytest.raises(CommandError, match="al een functioneel beheerder"):
        call_command("bootstrap_beheerder", email="tweede@example.org")
    assert _beheerders().count() == 1
    assert not User.objects.filter(email="tweede@example.org").exists()


def test_refused_while_any_beheerder_is_in_force(bzk):
    make_user(Role.FUNCTIONEEL_BEHEERDER, bzk)
    with pytest.raises(CommandError, match="al een functioneel beheerder"):
        call_command("bootstrap_beheerder", email="nog-een@example.org")
    assert _beheerders().count() == 1


def test_an_invalid_address_is_refused(bzk):
    with pytest.raises(CommandError, match="Geen geldig e-mailadres"):
        call_command("bootstrap_beheerder", email="geen adres")
    assert not _beheerders().exists()
