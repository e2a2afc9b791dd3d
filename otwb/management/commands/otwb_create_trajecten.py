from django.core.management.base import BaseCommand, CommandError

from otwb.models import Tour
from otwb.services import create_trajecten


class Command(BaseCommand):
    help = (
        "Create the trajecten of a tour: every gemeente and provincie, or for a follow-up "
        "campaign those that had a session in the tour it follows. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("tour_id", type=int)

    def handle(self, *args, tour_id, **options):
        try:
            tour = Tour.objects.get(pk=tour_id)
        except Tour.DoesNotExist:
            raise CommandError(f"Geen ronde met id {tour_id}.") from None
        created = create_trajecten(tour)
        self.stdout.write(f"{created} trajecten aangemaakt voor {tour}.")
