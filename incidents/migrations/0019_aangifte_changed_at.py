"""The melding keeps the last status change of its aangifte while the aangifte is not closed
and the melding open (``Melding.aangifte_changed_at``, written with the reminder columns),
with a partial index per organisation, filled here from the aangiften: the start page's
"Status van de aangifte gevraagd" reads that index instead of the aangifte of every open
case (issue 25 §2)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

OPEN = ("submitted", "in_triage", "in_follow_up")


def fill(apps, schema_editor):
    """One UPDATE of the open meldingen (closed ones keep it empty), with the definition of
    ``incidents.reminders`` as it was when the column came."""
    Melding = apps.get_model("incidents", "Melding")
    Aangifte = apps.get_model("incidents", "Aangifte")
    changed = (
        Aangifte.objects.filter(melding=OuterRef("pk"))
        .exclude(status="closed")
        .values("status_changed_at")[:1]
    )
    Melding.objects.filter(status__in=OPEN).update(aangifte_changed_at=Subquery(changed))


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0018_triage_status_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="melding",
            name="aangifte_changed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="melding",
            index=models.Index(
                condition=models.Q(aangifte_changed_at__isnull=False),
                fields=["route_organisation", "aangifte_changed_at"],
                include=(
                    "route",
                    "routing_fallback",
                    "escalation_level",
                    "protocol",
                    "submitted_at",
                ),
                name="melding_aangifte_changed",
            ),
        ),
        # After the index: built on the empty column, it is usable at once (an index built
        # over rows just updated waits for every older transaction to end).
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
