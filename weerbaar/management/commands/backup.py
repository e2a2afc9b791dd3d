"""``manage.py backup``: one encrypted backup of the database and the media into BACKUP_DIR,
then the retention rule. Run it as the owner role (it reads every table). Prints the file
name and counts, never content; exits non-zero when anything failed."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from weerbaar.backups.create import BackupError, make_backup
from weerbaar.backups.postgres import ToolError
from weerbaar.backups.retention import apply_retention
from weerbaar.backups.stream import BackupKeyError


class Command(BaseCommand):
    help = (
        "Maak een versleutelde back-up (pg_dump, media, manifest) in BACKUP_DIR en ruim oude "
        "back-ups op volgens BACKUP_KEEP_DAILY/BACKUP_KEEP_WEEKLY."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", help="map voor de back-ups (standaard BACKUP_DIR)")
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--no-retention", action="store_true", help="geen oude back-ups verwijderen"
        )

    def handle(self, *args, directory, database, no_retention, **options):
        directory = directory or settings.BACKUP_DIR
        try:
            path, meta = make_backup(directory=directory, using=database)
        except (BackupError, BackupKeyError, ToolError) as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"Back-up niet geschreven in {directory}: {exc.strerror}") from exc
        rows = sum(meta["tables"].values())
        media = sum(len(files) for files in meta["media"].values())
        self.stdout.write(
            f"Back-up geschreven: {path} ({path.stat().st_size} bytes; {len(meta['tables'])} "
            f"tabellen, {rows} rijen, {media} mediabestanden, {len(meta['audit_heads'])} "
            "auditketens)."
        )
        for line in meta["audit_breaks"]:
            self.stderr.write(self.style.WARNING(f"Auditlog al gebroken bij de back-up: {line}"))
        if not no_retention:
            gone = apply_retention(
                directory, daily=settings.BACKUP_KEEP_DAILY, weekly=settings.BACKUP_KEEP_WEEKLY
            )
            self.stdout.write(f"Opgeruimd: {len(gone)} oude back-up(s).")
