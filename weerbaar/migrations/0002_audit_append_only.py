from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION weerbaar_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER weerbaar_auditevent_append_only
    BEFORE UPDATE OR DELETE ON weerbaar_auditevent
    FOR EACH ROW EXECUTE FUNCTION weerbaar_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS weerbaar_auditevent_append_only ON weerbaar_auditevent;
DROP FUNCTION IF EXISTS weerbaar_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    """On PostgreSQL the database itself refuses to change or delete audit lines."""

    dependencies = [("weerbaar", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
