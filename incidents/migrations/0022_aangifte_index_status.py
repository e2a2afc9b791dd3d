"""The aangifte index holds the status and the id as well, so that the start page's block of
aangiftes whose status is due (the organisation's range, open cases) is an index-only scan
instead of an AND with the status index over every organisation's open cases
(docs/performance.md, "One run, stop 23")."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0021_triage_status_list_index"),
        ("weerbaar", "0028_membership_role_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="melding",
            name="melding_aangifte_changed",
        ),
        migrations.AddIndex(
            model_name="melding",
            index=models.Index(
                condition=models.Q(("aangifte_changed_at__isnull", False)),
                fields=["route_organisation", "aangifte_changed_at"],
                include=(
                    "route",
                    "routing_fallback",
                    "escalation_level",
                    "protocol",
                    "submitted_at",
                    "status",
                    "id",
                ),
                name="melding_aangifte_changed",
            ),
        ),
    ]
