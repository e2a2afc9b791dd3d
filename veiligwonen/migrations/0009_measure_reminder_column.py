"""A "next measure reminder at" column on the application, with a partial index of the rows
where it is set (``veiligwonen.reminders``), filled for the cases at the measures stage
from their state."""

from datetime import timedelta

from django.db import migrations, models
from django.db.models import Case, DateTimeField, Exists, F, OuterRef, Q, When


def fill(apps, schema_editor):
    """One UPDATE of the cases at the measures stage (the others have no reminder due),
    with the definition of ``veiligwonen.reminders`` as it was when the column came."""
    Application = apps.get_model("veiligwonen", "Application")
    Measure = apps.get_model("veiligwonen", "Measure")
    SweepRecord = apps.get_model("veiligwonen", "SweepRecord")
    planned = Exists(Measure.objects.filter(advice__application=OuterRef("pk"), status="planned"))
    stage = ("advice_issued", "measures_in_progress")

    def sent(level):
        return Exists(
            SweepRecord.objects.filter(application=OuterRef("pk"), kind="measures", level=level)
        )

    Application.objects.filter(status__in=stage, advice_issued_at__isnull=False).update(
        measure_reminder_at=Case(
            *(
                When(planned & ~sent(level), then=F("advice_issued_at") + timedelta(days=days))
                for level, days in (("30", 30), ("60", 60))
            ),
            default=None,
            output_field=DateTimeField(),
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("veiligwonen", "0008_handoff_taken_back"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="measure_reminder_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        # Filled before the index is made: one pass over the table.
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=Q(("measure_reminder_at__isnull", False)),
                fields=["measure_reminder_at"],
                name="vw_measure_reminder_idx",
            ),
        ),
    ]
