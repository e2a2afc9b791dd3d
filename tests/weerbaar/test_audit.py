import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from tests.factories import PASSWORD
from weerbaar.constants import AuditAction, Role
from weerbaar.models import AuditEvent


def test_login_logout_and_failed_login_are_audited(gemeente_a, user_factory):
    user = user_factory(Role.OFFICE_HOLDER, gemeente_a)
    client = Client()
    client.post("/accounts/login/", {"login": user.email, "password": "fout-wachtwoord-123"})
    failed = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.ip_address == "127.0.0.1"
    assert "fout-wachtwoord" not in str(failed.detail)
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=user).count() == 1
    client.post("/accounts/logout/")
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=user).count() == 1


def test_audit_log_is_append_only_in_the_model(gemeente_a, user_factory):
    event = AuditEvent.objects.create(action=AuditAction.VIEW, object_type="x", object_id="1")
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.update(action=AuditAction.EXPORT)


def test_audit_log_is_append_only_in_the_database(db):
    event = AuditEvent.objects.create(action=AuditAction.VIEW, object_type="x", object_id="1")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE weerbaar_auditevent SET action = 'x' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM weerbaar_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, action=AuditAction.VIEW).exists()
