"""A "next reminder at" column per reminder sweep on the melding, with a partial index of
the rows where it is set (``incidents.reminders``), filled for the open meldingen from their
state; the index of idle open cases, which only the idle sweep read, goes."""

from datetime import timedelta

from django.db import migrations, models
from django.db.models import Case, DateTimeField, Exists, F, OuterRef, Q, Subquery, When

OPEN = ("submitted", "in_triage", "in_follow_up")
ACKED = ("in_triage", "in_follow_up")


def fill(apps, schema_editor):
    """One UPDATE of the open meldingen (the others have no reminder due), with the
    definitions of ``incidents.reminders`` as they were when the columns came."""
    Melding = apps.get_model("incidents", "Melding")
    Aangifte = apps.get_model("incidents", "Aangifte")
    JobRecord = apps.get_model("incidents", "JobRecord")

    def reminded(kind, melding, **since):
        return Exists(JobRecord.objects.filter(melding=melding, kind=kind, **since))

    def of_aangifte(rows, moment):
        return Case(
            When(Q(status__in=OPEN), then=Subquery(rows.values(moment)[:1])),
            default=None,
            output_field=DateTimeField(),
        )

    acked = Q(status__in=ACKED, acknowledged_at__isnull=False)
    aftercare = Case(
        *(
            When(
                acked & ~reminded("aftercare", OuterRef("pk"), level=days),
                then=F("acknowledged_at") + timedelta(days=days),
            )
            for days in (7, 28)
        ),
        default=None,
        output_field=DateTimeField(),
    )
    aangifte = (
        Aangifte.objects.filter(melding=OuterRef("pk"))
        .exclude(status="closed")
        .exclude(
            reminded("aangifte", OuterRef("melding"), acted_at__gt=OuterRef("status_changed_at"))
        )
        .annotate(due=F("status_changed_at") + timedelta(days=14))
    )
    police = Aangifte.objects.filter(
        melding=OuterRef("pk"), status="filed", police_confirmed_on__isnull=True
    ).exclude(
        reminded("aangifte_police", OuterRef("melding"), acted_at__gte=OuterRef("confirm_due_at"))
    )
    idle = Case(
        When(
            Q(status__in=ACKED)
            & ~reminded("idle", OuterRef("pk"), acted_at__gt=OuterRef("last_activity_at")),
            then=F("last_activity_at") + timedelta(days=14),
        ),
        default=None,
        output_field=DateTimeField(),
    )
    Melding.objects.filter(status__in=OPEN).update(
        aftercare_reminder_at=aftercare,
        aangifte_reminder_at=of_aangifte(aangifte, "due"),
        police_reminder_at=of_aangifte(police, "confirm_due_at"),
        idle_reminder_at=idle,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0016_aangifte_police_contacts"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="melding",
            name="melding_idle_due",
        ),
        migrations.AddField(
            model_name="melding",
            name="aangifte_reminder_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="melding",
            name="aftercare_reminder_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="melding",
            name="idle_reminder_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="melding",
            name="police_reminder_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        # Filled before the indexes are made: one pass over the table instead of four
        # index updates per row.
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="melding",
            index=models.Index(
                condition=models.Q(("aftercare_reminder_at__isnull", False)),
                fields=["aftercare_reminder_at"],
                name="melding_aftercare_reminder",
            ),
        ),
        migrations.AddIndex(
            model_name="melding",
            index=models.Index(
                condition=models.Q(("aangifte_reminder_at__isnull", False)),
                fields=["aangifte_reminder_at"],
                name="melding_aangifte_reminder",
            ),
        ),
        migrations.AddIndex(
            model_name="melding",
            index=models.Index(
                condition=models.Q(("police_reminder_at__isnull", False)),
                fields=["police_reminder_at"],
                name="melding_police_reminder",
            ),
        ),
        migrations.AddIndex(
            model_name="melding",
            index=models.Index(
                condition=models.Q(("idle_reminder_at__isnull", False)),
                fields=["idle_reminder_at"],
                name="melding_idle_reminder",
            ),
        ),
    ]
