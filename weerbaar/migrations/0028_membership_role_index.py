"""Memberships by role: the holders of a national role (the Veilig Wonen queue's advisers)
are that role's few rows of the index, not a scan of every membership (issue 25 §2)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("weerbaar", "0027_notification_unread_kind_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="membership",
            index=models.Index(fields=["role", "user"], name="membership_role_idx"),
        ),
    ]
