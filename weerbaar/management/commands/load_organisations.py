import csv
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from weerbaar.constants import NationalBody, OrganisationKind
from weerbaar.models import Organisation

SOURCE = Path(__file__).resolve().parents[2] / "fixtures" / "organisations.csv"


class Command(BaseCommand):
    help = "Load all gemeenten, provincies and waterschappen and the national bodies (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(SOURCE))

    @transaction.atomic
    def handle(self, *args, file, **options):
        with open(file, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        created = updated = 0
        provinces = {}
        # Provinces first, so the others can point at them.
        for row in sorted(rows, key=lambda r: r["kind"] != OrganisationKind.PROVINCIE):
            province = provinces.get(row["province_code"]) if row["province_code"] else None
            org, was_created = Organisation.objects.update_or_create(
                code=row["code"],
                defaults={"kind": row["kind"], "name": row["name"], "province": province},
            )
            if org.kind == OrganisationKind.PROVINCIE:
                # A provincie belongs to itself, so "per province" figures include it.
                if org.province_id != org.pk:
                    org.province = org
                    org.save(update_fields=["province"])
                provinces[org.code] = org
            created += was_created
            updated += not was_created
        for body in NationalBody:
            _, was_created = Organisation.objects.update_or_create(
                code=body.value,
                defaults={"kind": OrganisationKind.NATIONAL, "name": str(body.label)},
            )
            created += was_created
        self.stdout.write(f"Organisaties: {created} nieuw, {updated} bijgewerkt.")
