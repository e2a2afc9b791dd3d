"""An index of the triage scope by organisation and status, in order of the acknowledgement
deadline, with the columns the scope and the category filter read: the dashboard's counts and
the start page's blocks, read up to a cap, stop after the cap's rows of one status (issue 25
§2)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0017_reminder_columns"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="melding",
            index=models.Index(
                fields=["route_organisation", "status", "ack_deadline", "id"],
                include=(
                    "route",
                    "routing_fallback",
                    "escalation_level",
                    "protocol",
                    "category_codes",
                    "submitted_at",
                ),
                name="melding_triage_status",
            ),
        ),
    ]
