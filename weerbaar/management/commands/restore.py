"""``manage.py restore <file>``: put a backup back into a new, empty database (DATABASE_URL
points at it) and prove it: rows per table, the audit chain and the encrypted fields.
Exits non-zero, saying why, when the file is damaged, made with another key, the database
is not empty, or the restored data does not match the manifest. docs/operations.md."""

from django.core.management.base import BaseCommand, CommandError

from weerbaar.backups.postgres import ToolError
from weerbaar.backups.restore import RestoreError, restore
from weerbaar.backups.stream import BackupKeyError, TamperedError


class Command(BaseCommand):
    help = (
        "Zet een back-up terug in een nieuwe, lege database en controleer aantallen, "
        "auditketen en versleutelde velden."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="het back-upbestand (.wbbackup)")
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--app-role",
            default="",
            help="geef deze app-rol daarna haar rechten (zoals grant_app_role na migrate)",
        )

    def handle(self, *args, file, database, app_role, **options):
        try:
            meta, problems = restore(file, using=database, app_role=app_role or None)
        except (BackupKeyError, TamperedError, RestoreError, ToolError) as exc:
            raise CommandError(str(exc)) from exc
        except FileNotFoundError as exc:
            raise CommandError(f"Bestand niet gevonden: {file}") from exc
        for line in problems:
            self.stderr.write(self.style.ERROR(f"AFWIJKING {line}"))
        if problems:
            raise CommandError(f"Teruggezet, maar {len(problems)} afwijking(en): niet gebruiken.")
        rows = sum(meta["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Teruggezet en gecontroleerd: back-up van {meta['created_at']}, "
                f"{len(meta['tables'])} tabellen, {rows} rijen gelijk aan het manifest, "
                f"{len(meta['audit_heads'])} auditketens in orde, versleutelde velden leesbaar."
            )
        )
