"""The triage list filtered by status, read in its own order from an index of the organisation
and status by date: the filtered dashboard walked the organisation's rows of every status
newest first until 25 matched (docs/performance.md, change 21)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0020_otwb_start_page_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="melding",
            index=models.Index(
                fields=["route_organisation", "status", "submitted_at", "id"],
                name="melding_triage_status_list",
            ),
        ),
    ]
