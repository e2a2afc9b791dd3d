"""No trainer in two places at once, enforced by PostgreSQL.

An exclusion constraint over (trainer, tstzrange(starts_at, ends_at)) for active
assignments needs the btree_gist extension. SQLite (the zero-setup ``make run``) has
neither, so this migration acts only on PostgreSQL; the service layer refuses overlaps on
every database.
"""

from django.db import migrations

CONSTRAINT = "otwb_assignment_no_overlap"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE otwb_assignment ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        "(trainer_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (active)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE otwb_assignment DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("otwb", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
