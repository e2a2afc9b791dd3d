"""The OTWB vertrouwenspersoon's start page: an index per block (the open confidential cases,
the acknowledged open cases for nazorg), each in the block's order, so that each block's
count up to a cap stops after the cap's entries instead of reading every open case the OTWB
is involved in, nationally (issue 25 §2)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0019_aangifte_changed_at"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="melding",
            index=models.Index(
                condition=models.Q(
                    ("otwb_involved", True),
                    ("route", "confidential"),
                    ("status__in", ("submitted", "in_triage", "in_follow_up")),
                ),
                fields=["submitted_at", "id"],
                name="melding_otwb_confidential",
            ),
        ),
        migrations.AddIndex(
            model_name="melding",
            index=models.Index(
                condition=models.Q(
                    ("otwb_involved", True), ("status__in", ("in_triage", "in_follow_up"))
                ),
                fields=["submitted_at", "id"],
                include=("acknowledged_at",),
                name="melding_otwb_aftercare",
            ),
        ),
    ]
