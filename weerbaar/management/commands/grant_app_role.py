"""``manage.py grant_app_role --role weerbaar_app``: run by the owner of the tables (the
migrate job) after every ``migrate``; see weerbaar/dbroles.py for why not default privileges."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from weerbaar.dbroles import APPEND_ONLY_TABLES, grant_app_role


class Command(BaseCommand):
    help = (
        "Geef de app-rol precies de rechten die de portal nodig heeft (na elke migrate, "
        "als eigenaar van de tabellen)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, help="Naam van de app-rol")
        parser.add_argument("--database", default="default")

    def handle(self, *args, role, database, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError("Rollen bestaan alleen op PostgreSQL.")
        try:
            tables, sequences = grant_app_role(role=role, using=connection)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{role}: lezen en schrijven op {tables} tabellen en {sequences} reeksen; "
                f"op {', '.join(APPEND_ONLY_TABLES)} alleen toevoegen en lezen."
            )
        )
