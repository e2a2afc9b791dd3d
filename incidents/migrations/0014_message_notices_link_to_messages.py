"""The unread "Nieuw bericht" notifications lead to the case page's messages
(``incidents.notice_texts``): the start page's flag and opening the case match them by that
link, so the ones queued before keep counting until they are read."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Replace

SECTION = "#berichten"


def to_messages(apps, schema_editor):
    Notification = apps.get_model("weerbaar", "Notification")
    Notification.objects.filter(kind="incidents.message", read_at__isnull=True).exclude(
        link__contains="#"
    ).exclude(link="").update(link=Concat("link", Value(SECTION)))


def to_case(apps, schema_editor):
    Notification = apps.get_model("weerbaar", "Notification")
    Notification.objects.filter(kind="incidents.message", link__endswith=SECTION).update(
        link=Replace("link", Value(SECTION), Value(""))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0013_timeline_codes"),
        ("weerbaar", "0023_user_language"),
    ]

    operations = [migrations.RunPython(to_messages, to_case, elidable=True)]
