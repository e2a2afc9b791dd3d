"""The portal's database role may add to the audit log and read it, nothing more (issue 18 §2).

The suite connects as the app role (tests/db_roles.py), so these statements run with exactly
the rights of web, worker and beat in production. Each is what someone who took over the app
would try to rewrite or erase the record; each must be refused for lack of privilege, not
merely stopped by the append-only trigger the attacker could otherwise switch off."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from weerbaar import audit
from weerbaar.constants import AuditAction
from weerbaar.dbroles import problems_of
from weerbaar.models import AuditEvent

INSUFFICIENT_PRIVILEGE = "42501"

ATTACKS = {
    "truncate": "TRUNCATE weerbaar_auditevent",
    "disable trigger": (
        "ALTER TABLE weerbaar_auditevent DISABLE TRIGGER weerbaar_auditevent_append_only"
    ),
    "disable chain trigger": (
        "ALTER TABLE weerbaar_auditevent DISABLE TRIGGER weerbaar_auditevent_chain"
    ),
    "drop trigger": "DROP TRIGGER weerbaar_auditevent_append_only ON weerbaar_auditevent",
    "replace function": (
        "CREATE OR REPLACE FUNCTION weerbaar_audit_append_only() RETURNS trigger AS "
        "$$ BEGIN RETURN COALESCE(NEW, OLD); END $$ LANGUAGE plpgsql"
    ),
    "replace chain function": (
        "CREATE OR REPLACE FUNCTION weerbaar_audit_chain() RETURNS trigger AS "
        "$$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql"
    ),
    "drop table": "DROP TABLE weerbaar_auditevent",
    "new table": "CREATE TABLE weerbaar_shadow (id int)",
    "reset the id sequence": (
        "SELECT setval(pg_get_serial_sequence('weerbaar_auditevent', 'id'), 1)"
    ),
    "forge a migration record": (
        "INSERT INTO django_migrations (app, name, applied) VALUES ('weerbaar', '9999_x', now())"
    ),
    "update": "UPDATE weerbaar_auditevent SET action = 'export'",
    "delete": "DELETE FROM weerbaar_auditevent",
}


@pytest.fixture
def line(db):
    return audit.record(AuditAction.VIEW, note="1")


@pytest.mark.parametrize("statement", ATTACKS.values(), ids=ATTACKS.keys())
def test_the_app_role_cannot_rewrite_or_erase_the_audit_log(line, statement):
    with (
        pytest.raises(DatabaseError) as refused,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert refused.value.__cause__.sqlstate == INSUFFICIENT_PRIVILEGE, refused.value
    assert AuditEvent.objects.filter(pk=line.pk, action=AuditAction.VIEW).exists()


def test_the_app_role_adds_to_the_audit_log_and_reads_it(line):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, usesuper FROM pg_user WHERE usename = current_user")
        role, superuser = cursor.fetchone()
    assert role == connection.settings_dict["USER"] and not superuser
    second = audit.record(AuditAction.EXPORT, note="2")
    assert list(AuditEvent.objects.filter(pk__in=[line.pk, second.pk]).order_by("pk")) == [
        line,
        second,
    ]


def test_the_app_role_has_nothing_it_must_not(db):
    assert problems_of(connection.settings_dict["USER"]) == []


def test_grant_app_role_runs_only_as_the_owner_and_for_another_role(db, db_roles_names):
    owner, _ = db_roles_names
    with pytest.raises(CommandError, match="andere rol"):
        call_command("grant_app_role", role=connection.settings_dict["USER"])
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("grant_app_role", role=f"{owner}_nobody")
    # The app role cannot hand out rights: only the owner of the tables runs the command.
    with pytest.raises(CommandError, match="eigenaar van de tabellen"):
        call_command("grant_app_role", role=owner)
