from django.core.management.base import BaseCommand

from incidents.services.retention import anonymise_due, due_for_anonymisation, retention_days


class Command(BaseCommand):
    help = "Anonymise closed meldingen past the retention period (use --dry-run to list)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only report what would be anonymised."
        )

    def handle(self, *args, dry_run=False, **options):
        due = list(due_for_anonymisation().order_by("closed_at"))
        self.stdout.write(
            f"Bewaartermijn: {retention_days()} dagen; {len(due)} melding(en) te anonimiseren."
        )
        for melding in due:
            self.stdout.write(f"  {melding.reference} afgesloten {melding.closed_at:%Y-%m-%d}")
        if dry_run:
            self.stdout.write("Proefdraai: niets gewijzigd.")
            return
        done = anonymise_due()
        self.stdout.write(self.style.SUCCESS(f"{done} melding(en) geanonimiseerd."))
