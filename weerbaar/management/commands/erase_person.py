"""``manage.py erase_person EMAIL [--dry-run]``: an erasure request (AVG art. 17) for one
person's account. The dry run lists what is erased now and which records keep a
pseudonymous link until their own retention period ends (see weerbaar/retention.py)."""

from django.core.management.base import BaseCommand, CommandError

from weerbaar.models import User
from weerbaar.retention import erase_person


class Command(BaseCommand):
    help = "Wis het account van één persoon (AVG art. 17); --dry-run toont alleen het plan."

    def add_arguments(self, parser):
        parser.add_argument("email", help="E-mailadres van het account")
        parser.add_argument("--dry-run", action="store_true", help="Niets wijzigen.")
        parser.add_argument(
            "--operator", default="", help="E-mailadres van de beheerder die het verzoek uitvoert"
        )

    def handle(self, *args, email, dry_run=False, operator="", **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"Geen account met het e-mailadres {email}.")
        actor = User.objects.filter(email__iexact=operator).first() if operator else None
        if operator and actor is None:
            raise CommandError(f"Geen beheerder met het e-mailadres {operator}.")
        plan = erase_person(user, operator=actor, dry_run=dry_run)
        for line in plan.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Proefdraai: niets gewijzigd.")
        else:
            self.stdout.write(self.style.SUCCESS("Het account is gewist."))
