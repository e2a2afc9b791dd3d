import csv
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from weerbaar.constants import NationalBody, OrganisationKind
from weerbaar.models import Organisation, OrganisationProfile
from weerbaar.profiles import document_name_from_reference

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
        profiles = self._fill_profiles(by_code.values())
        self.stdout.write(
            f"Organisaties: {len(new)} nieuw, {updated} bijgewerkt, {len(rows)} in totaal; "
            f"{profiles} profielen aangevuld uit de referentiegegevens."
        )

    @staticmethod
    def _fill_profiles(organisations):
        """What the reference data tells about an organisation's profile: only the name on its
        documents (the file has no addresses, phones or people; the chairs' titles follow from
        the kind, ``weerbaar.constants.ROLE_TITLES``). A field is filled only while it is
        empty or still holds an earlier load's value (``from_reference``); once the
        organisation entered its own, the reload leaves it alone."""
        profiles = {
            p.organisation_id: p
            for p in OrganisationProfile.objects.filter(
                organisation__in=[o.pk for o in organisations]
            ).only("id", "organisation_id", "document_name", "from_reference")
        }
        new, changed = [], []
        for org in organisations:
            name = document_name_from_reference(kind=org.kind, name=org.name)
            profile = profiles.get(org.pk)
            if profile is None:
                new.append(
                    OrganisationProfile(
                        organisation=org, document_name=name, from_reference=["document_name"]
                    )
                )
            elif (profile.document_name == "" or "document_name" in profile.from_reference) and (
                profile.document_name != name or "document_name" not in profile.from_reference
            ):
                profile.document_name = name
                profile.from_reference = sorted({*profile.from_reference, "document_name"})
                changed.append(profile)
        OrganisationProfile.objects.bulk_create(new)
        OrganisationProfile.objects.bulk_update(changed, ["document_name", "from_reference"])
        return len(new) + len(changed)
