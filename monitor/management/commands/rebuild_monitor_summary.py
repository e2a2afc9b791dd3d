"""Rebuild the monitor's summary from every melding (after a restore, a data fix, or to
start it on an existing database); the sweep keeps it current from then on."""

from django.core.management.base import BaseCommand

from monitor.summary import sweep


class Command(BaseCommand):
    help = "Rebuild the monitor's precomputed summary from every melding."

    def handle(self, *args, **options):
        written = sweep.refresh(full=True)
        self.stdout.write(f"{written} organisation-months written.")
