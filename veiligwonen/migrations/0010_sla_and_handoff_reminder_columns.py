""" "Next SLA moment" and "hand-off receipt reminder at" columns on the application, each
with a partial index of the rows where it is set (``veiligwonen.reminders``), filled for
the cases waiting for their intake or for a hand-off's receipt from their state."""

from django.db import migrations, models
from django.db.models import Case, DateTimeField, Exists, F, OuterRef, Q, Subquery, When


def fill(apps, schema_editor):
    """One UPDATE per column, of the cases at its stage (the others have nothing due), with
    the definitions of ``veiligwonen.reminders`` as they were when the columns came."""
    Application = apps.get_model("veiligwonen", "Application")
    Handoff = apps.get_model("veiligwonen", "Handoff")
    SweepRecord = apps.get_model("veiligwonen", "SweepRecord")

    def sent(kind, level):
        return Exists(
            SweepRecord.objects.filter(application=OuterRef("pk"), kind=kind, level=level)
        )

    waiting = Q(intake_held_at__isnull=True, status__in=["intake_planned", "submitted"])
    Application.objects.filter(waiting).update(
        sla_reminder_at=Case(
            *(
                When(
                    Q(**{f"{field}__isnull": False}) & ~sent("sla", level),
                    then=F(field),
                )
                for level, field in (("warning", "sla_warn_at"), ("escalation", "sla_due_at"))
            ),
            default=None,
            output_field=DateTimeField(),
        )
    )
    unconfirmed = Handoff.objects.filter(
        application=OuterRef("pk"), receipt_recorded_at__isnull=True
    ).values("receipt_due_at")[:1]
    Application.objects.filter(status="handoff_pending").update(
        handoff_reminder_at=Case(
            When(~sent("handoff", "receipt"), then=Subquery(unconfirmed)),
            default=None,
            output_field=DateTimeField(),
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("veiligwonen", "0009_measure_reminder_column"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="handoff_reminder_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="application",
            name="sla_reminder_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(("sla_reminder_at__isnull", False)),
                fields=["sla_reminder_at"],
                name="vw_sla_reminder_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(("handoff_reminder_at__isnull", False)),
                fields=["handoff_reminder_at"],
                name="vw_handoff_reminder_idx",
            ),
        ),
        # Filled after the indexes are made: the UPDATE of the few cases at these stages
        # then writes their index entries. Filled before, its updates were HOT, and
        # PostgreSQL marks an index built over HOT chains as not to be used by transactions
        # older than its own (pg_index.indcheckxmin): the sweeps scanned the table until
        # every transaction open during the migration had ended.
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
