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
            rows = [
                (r["kind"], r["code"], r["name"], r["province_code"]) for r in csv.DictReader(fh)
            ]
        rows += [(OrganisationKind.NATIONAL, b.value, str(b.label), "") for b in NationalBody]
        existing = {o.code: o for o in Organisation.objects.filter(code__in=[r[1] for r in rows])}
        new = [
            Organisation(kind=kind, code=code, name=name)
            for kind, code, name, _ in rows
            if code not in existing
        ]
        Organisation.objects.bulk_create(new)
        by_code = {o.code: o for o in Organisation.objects.filter(code__in=[r[1] for r in rows])}
        changed = []
        for kind, code, name, province_code in rows:
            org = by_code[code]
            # A provincie belongs to itself, so "per province" figures include it.
            province_id = by_code[province_code].pk if province_code else None
            if (org.kind, org.name, org.province_id) != (kind, name, province_id):
                org.kind, org.name, org.province_id = kind, name, province_id
                changed.append(org)
        Organisation.objects.bulk_update(changed, ["kind", "name", "province"])
        # A new row gets its province link in the loop above (its province may be new too, so
        # it has no key before the insert): that completes creating it, it is no update.
        created = {org.code for org in new}
        updated = sum(1 for org in changed if org.code not in created)
        self.stdout.write(
            f"Organisaties: {len(new)} nieuw, {updated} bijgewerkt, {len(rows)} in totaal."
        )
