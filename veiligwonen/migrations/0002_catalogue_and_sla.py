from django.db import migrations


def load(apps, schema_editor):
    from veiligwonen.catalogue import load_catalogue

    load_catalogue(apps.get_model("veiligwonen", "MeasureType"))
    SlaSetting = apps.get_model("veiligwonen", "SlaSetting")
    for urgency_class, days in (("spoed", 2), ("hoog", 5), ("normaal", 15)):
        SlaSetting.objects.get_or_create(
            urgency_class=urgency_class, defaults={"intake_working_days": days}
        )


class Migration(migrations.Migration):
    dependencies = [("veiligwonen", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
