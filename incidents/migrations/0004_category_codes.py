"""Melding.category_codes, a copy of the category rows for the triage filter, filled from the
rows; the triage scope index holds it so the filtered count reads the index alone."""

from django.db import migrations, models

BATCH = 2000


def fill(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE incidents_melding m SET category_codes = c.codes FROM ("
            "  SELECT melding_id, ',' || string_agg(category, ',' ORDER BY category) || ',' AS codes"
            "  FROM incidents_meldingcategory GROUP BY melding_id"
            ") c WHERE c.melding_id = m.id"
        )
        return
    Melding = apps.get_model("incidents", "Melding")
    MeldingCategory = apps.get_model("incidents", "MeldingCategory")
    by_melding = {}
    for melding_id, category in MeldingCategory.objects.values_list("melding_id", "category"):
        by_melding.setdefault(melding_id, []).append(category)
    ids = list(by_melding)
    for start in range(0, len(ids), BATCH):
        meldingen = list(Melding.objects.filter(pk__in=ids[start : start + BATCH]).only("pk"))
        for melding in meldingen:
            melding.category_codes = f",{','.join(sorted(set(by_melding[melding.pk])))},"
        Melding.objects.bulk_update(meldingen, ["category_codes"])


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0003_triage_and_monitor_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="melding",
            name="melding_triage_scope",
        ),
        migrations.AddField(
            model_name="melding",
            name="category_codes",
            field=models.CharField(default="", editable=False, max_length=200),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="melding",
            index=models.Index(
                fields=["route_organisation", "route", "status", "id", "category_codes"],
                name="melding_triage_scope",
            ),
        ),
    ]
