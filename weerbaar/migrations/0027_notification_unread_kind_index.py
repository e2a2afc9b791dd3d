"""The index of unread notifications per recipient gains the kind and holds the link: the
"new message" flag and filter of the meldingen lists read one kind's unread links from the
index alone, however many other unread notifications the user has (issue 25 §2)."""

from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [
        ("weerbaar", "0026_seat_counts"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="notification", name="notification_unread_idx"),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                fields=["recipient", "kind"],
                include=["link"],
                name="notification_unread_kind_idx",
                condition=Q(read_at__isnull=True),
            ),
        ),
    ]
