import pytest

from weerbaar.constants import AuditAction, Role
from weerbaar.models import AuditEvent


@pytest.fixture
def beheerder(bzk, user_factory):
    return user_factory(Role.FUNCTIONEEL_BEHEERDER, bzk, is_staff=True, is_superuser=True)


@pytest.mark.parametrize(
    "model", ["organisation", "user", "membership", "invitation", "auditevent", "notification"]
)
def test_functioneel_beheerder_manages_core_data_in_the_admin(model, beheerder, client_for):
    AuditEvent.objects.create(action=AuditAction.VIEW, object_type="x", object_id="1")
    response = client_for(beheerder).get(f"/beheer/weerbaar/{model}/")
    assert response.status_code == 200


def test_audit_log_cannot_be_changed_in_the_admin(beheerder, client_for):
    event = AuditEvent.objects.create(action=AuditAction.VIEW, object_type="x", object_id="1")
    client = client_for(beheerder)
    response = client.post(f"/beheer/weerbaar/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_staff_role_without_is_staff_cannot_enter_the_admin(griffier_a, client_for):
    response = client_for(griffier_a).get("/beheer/")
    assert response.status_code == 302
    assert "login" in response["Location"]
