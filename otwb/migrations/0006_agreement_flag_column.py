"""The day the overdue sweep is to flag an agreement, with a partial index of the rows
where it is set (``otwb.reminders``), filled for the open agreements from their state."""

from datetime import timedelta

from django.db import migrations, models
from django.db.models import Case, DateField, Exists, F, OuterRef, When


def fill(apps, schema_editor):
    """One UPDATE of the open agreements, with the definition of ``otwb.reminders`` as it
    was when the column came."""
    FollowUpAgreement = apps.get_model("otwb", "FollowUpAgreement")
    SweepRecord = apps.get_model("otwb", "SweepRecord")
    flagged = SweepRecord.objects.filter(
        object_type="followupagreement", object_id=OuterRef("pk"), kind="agreement_overdue"
    )
    FollowUpAgreement.objects.filter(done_at__isnull=True).update(
        flag_on=Case(
            When(~Exists(flagged), then=F("due_on") + timedelta(days=1)),
            default=None,
            output_field=DateField(),
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("otwb", "0005_session_cancel_reason_evaluation_respondent_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="followupagreement",
            name="flag_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        # Filled before the index is made: one pass over the table.
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="followupagreement",
            index=models.Index(
                condition=models.Q(("flag_on__isnull", False)),
                fields=["flag_on"],
                name="agreement_flag_idx",
            ),
        ),
    ]
