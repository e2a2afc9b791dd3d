"""The advice waiting for the BVA's review, oldest first: the BVA's start page reads its first
rows and its count up to a cap in this order and stops early (issue 25 §2)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("veiligwonen", "0011_adviser_open_cases_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(("status", "under_review")),
                fields=["submitted_at", "id"],
                name="vw_under_review_idx",
            ),
        ),
    ]
