"""Write the columns ``incidents.reminders`` keeps on the melding (``KEPT``: the reminder
columns and the aangifte's last status change) from the state of each case, and report how
many differed: the correction if a write outside the services ever left one behind (a
manual repair in the database, a restore of part of the data). The write paths keep them in
the transaction of each change, so on a healthy database it finds none."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import F, Q

from incidents.constants import OPEN_STATUSES
from incidents.models import Melding
from incidents.reminders import KEPT, columns, refresh

BATCH = 5000


def drifted(meldingen):
    """The meldingen of the queryset whose kept columns differ from their state."""
    fresh = {f"fresh_{name}": expression for name, expression in columns().items()}
    differs = Q()
    for name in KEPT:
        same = Q(**{name: F(f"fresh_{name}")}) | Q(
            **{f"{name}__isnull": True, f"fresh_{name}__isnull": True}
        )
        differs |= ~same
    return meldingen.annotate(**fresh).filter(differs)


class Command(BaseCommand):
    help = "Schrijf de bijgehouden kolommen van de meldingen opnieuw uit hun staat."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Alleen tellen, niets schrijven."
        )

    def handle(self, *args, dry_run=False, **options):
        # An open case, or a closed one with a column set (a closed case has none): the
        # years of closed cases are not read one by one.
        candidates = Q(status__in=OPEN_STATUSES)
        for name in KEPT:
            candidates |= Q(**{f"{name}__isnull": False})
        pks = list(Melding.objects.filter(candidates).order_by("pk").values_list("pk", flat=True))
        found = 0
        for start in range(0, len(pks), BATCH):
            chunk = Melding.objects.filter(pk__in=pks[start : start + BATCH])
            with transaction.atomic():
                wrong = list(drifted(chunk).values_list("pk", flat=True))
                if wrong and not dry_run:
                    refresh(Melding.objects.filter(pk__in=wrong))
            found += len(wrong)
        verb = "gevonden" if dry_run else "hersteld"
        self.stdout.write(f"{found} van {len(pks)} melding(en) met afwijkende kolommen {verb}.")
