"""The coordinator's week: the sessions of a week that are not cancelled as one range of an
index in their order, not a scan of every session of every tour (issue 25 §2)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("otwb", "0006_agreement_flag_column"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="session",
            index=models.Index(
                condition=models.Q(("status", "cancelled"), _negated=True),
                fields=["starts_at", "id"],
                name="session_week_idx",
            ),
        ),
    ]
