"""``manage.py verify_audit``: check every link of the audit log's hash chain
(weerbaar/audit_chain.py). Prints the first broken link of each lane and the head of each
lane that holds; exits non-zero when any link is broken. Keep the printed heads off the
database host: they show later whether lines were removed from the end."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from weerbaar.audit_chain import verify


class Command(BaseCommand):
    help = "Controleer de hashketen van het auditlog; meldt per keten de eerste breuk."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError("De hashketen van het auditlog bestaat alleen op PostgreSQL.")
        breaks, heads = verify(using=connection)
        for head in heads:
            self.stdout.write(str(head))
        for broken in breaks:
            self.stdout.write(self.style.ERROR(f"GEBROKEN {broken}"))
        if breaks:
            raise CommandError(f"{len(breaks)} keten(s) gebroken.")
        self.stdout.write(self.style.SUCCESS(f"Alle {len(heads)} ketens in orde."))
