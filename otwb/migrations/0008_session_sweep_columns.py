"""The moments the session reminder sweep and the evaluation sweep next have something to
do, on the session, each with a partial index of the rows where it is set
(``otwb.reminders``), filled for the sessions still to be reminded or asked."""

from datetime import datetime, time, timedelta

from django.db import migrations, models
from django.db.models import Case, DateTimeField, Exists, F, OuterRef, Q, When
from django.utils import timezone


def fill(apps, schema_editor):
    """The definitions of ``otwb.reminders`` as they were when the columns came, with the
    time of the migration: the planned and confirmed sessions still to begin in one
    UPDATE; the held sessions of the last two weeks (a handful) one by one."""
    Session = apps.get_model("otwb", "Session")
    SweepRecord = apps.get_model("otwb", "SweepRecord")
    now = timezone.now()

    def sent(kind):
        return Exists(
            SweepRecord.objects.filter(object_type="session", object_id=OuterRef("pk"), kind=kind)
        )

    Session.objects.filter(status__in=["planned", "confirmed"], starts_at__gt=now).update(
        reminder_at=Case(
            *(
                When(~sent(kind), then=F("starts_at") - timedelta(days=days))
                for kind, days in (("reminder_7d", 7), ("reminder_1d", 1))
            ),
            default=None,
            output_field=DateTimeField(),
        )
    )
    tz = timezone.get_default_timezone()
    today = timezone.localtime(now, tz).replace(hour=0, minute=0, second=0, microsecond=0)
    held = Session.objects.filter(
        Q(status="held", ends_at__gte=today - timedelta(days=14)), ~sent("evaluation_request")
    )
    for pk, ends_at in held.values_list("pk", "ends_at"):
        day = timezone.localtime(ends_at, tz).date() + timedelta(days=1)
        Session.objects.filter(pk=pk).update(
            evaluation_request_at=timezone.make_aware(datetime.combine(day, time()), tz)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("otwb", "0007_session_week_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="session",
            name="evaluation_request_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="session",
            name="reminder_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="session",
            index=models.Index(
                condition=models.Q(("reminder_at__isnull", False)),
                fields=["reminder_at"],
                name="session_reminder_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="session",
            index=models.Index(
                condition=models.Q(("evaluation_request_at__isnull", False)),
                fields=["evaluation_request_at"],
                name="session_evaluation_idx",
            ),
        ),
        # Filled after the indexes are made, as veiligwonen 0010 explains: the UPDATE of
        # the few sessions still to come writes their index entries, and the indexes are
        # usable at once.
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
