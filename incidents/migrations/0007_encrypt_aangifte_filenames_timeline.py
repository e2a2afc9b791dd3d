"""Aangifte police unit and registration number, attachment file names and timeline lines
(which name the people a case was shared with or assigned to) were plain text: the columns
become encrypted and the rows already there are encrypted in place."""

from django.db import migrations

import weerbaar.fields
from weerbaar.column_encryption import decrypt_column, encrypt_column

COLUMNS = [
    ("incidents_aangifte", "police_unit", "incidents.aangifte.police_unit"),
    ("incidents_aangifte", "registration_number", "incidents.aangifte.registration_number"),
    ("incidents_attachment", "filename", "incidents.attachment.filename"),
    ("incidents_timelineentry", "summary", "incidents.timelineentry.summary"),
]


def encrypt(apps, schema_editor):
    for table, column, context in COLUMNS:
        encrypt_column(schema_editor.connection, table=table, column=column, context=context)


def decrypt(apps, schema_editor):
    for table, column, context in COLUMNS:
        decrypt_column(schema_editor.connection, table=table, column=column, context=context)


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0006_routing_fallback"),
    ]

    operations = [
        migrations.AlterField(
            model_name="aangifte",
            name="police_unit",
            field=weerbaar.fields.EncryptedTextField(blank=True, verbose_name="politie-eenheid"),
        ),
        migrations.AlterField(
            model_name="aangifte",
            name="registration_number",
            field=weerbaar.fields.EncryptedTextField(blank=True, verbose_name="registratienummer"),
        ),
        migrations.AlterField(
            model_name="attachment",
            name="filename",
            field=weerbaar.fields.EncryptedTextField(verbose_name="bestandsnaam"),
        ),
        migrations.AlterField(
            model_name="timelineentry",
            name="summary",
            field=weerbaar.fields.EncryptedTextField(verbose_name="omschrijving"),
        ),
        migrations.RunPython(encrypt, decrypt),
    ]
