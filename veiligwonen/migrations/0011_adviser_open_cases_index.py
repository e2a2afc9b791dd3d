"""An adviser's open applications by submission: the start page's first rows and its count up
to a cap read this adviser's range of the index, not every application they advised on
(issue 25 §2)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("veiligwonen", "0010_sla_and_handoff_reminder_columns"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(
                    (
                        "status__in",
                        [
                            "advice_draft",
                            "advice_issued",
                            "handoff_pending",
                            "intake_held",
                            "intake_planned",
                            "measures_in_progress",
                            "returned",
                            "scan_done",
                            "scan_planned",
                            "submitted",
                            "under_review",
                        ],
                    )
                ),
                fields=["adviser", "submitted_at", "id"],
                name="vw_adviser_open_idx",
            ),
        ),
    ]
