"""Restoring a backup into a fresh, empty database, and proving it is whole.

Order matters: the whole file is decrypted and checked first (every chunk's tag, the dump's
and every media file's sha256 against the manifest) into a private folder, and only then is
anything written to the database or the media folders. A damaged or foreign file is refused
before it touches anything.

The database must be empty (no tables in ``public``): restoring over a live database is not a
restore but a merge, and this command does not do that. pg_restore runs in one transaction
(all or nothing) without the dump's owners and grants: the objects become the restoring
role's, which should be the owner role of the deployment; ``--app-role`` then grants the app
role its rights as after a migrate (weerbaar/dbroles.py).

Afterwards: rows per table must equal the manifest's, the audit chain must verify with the
same heads, and a sample of every encrypted column must decrypt with the keys in force."""

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

import structlog
from django.conf import settings
from django.db import connections

from weerbaar import crypto
from weerbaar.fields import encrypted_fields

from . import manifest, postgres
from .create import FORMAT, media_roots
from .stream import DecryptingReader, TamperedError, parse_keys

__all__ = ["RestoreError", "check_encrypted", "restore", "unpack", "verify_restored"]

log = structlog.get_logger(__name__)

SAMPLE = 50


class RestoreError(Exception):
    pass


def _safe_member(member):
    path = PurePosixPath(member.name)
    if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
        raise TamperedError(f"Onverwacht onderdeel in de back-up: {member.name!r}.")
    return path


def unpack(source, work, keys):
    """Decrypt ``source`` into the folder ``work``; returns the manifest. Every byte is
    authenticated and every file checked against the manifest before this returns."""
    work = Path(work)
    with (
        open(source, "rb") as raw,
        tarfile.open(fileobj=DecryptingReader(raw, keys), mode="r|") as tar,
    ):
        for member in tar:
            path = _safe_member(member)
            if member.isdir():
                continue
            target = work / path
            target.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(member) as data, open(target, "wb") as out:
                shutil.copyfileobj(data, out, 1024 * 1024)
    try:
        meta = json.loads((work / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise TamperedError("De back-up heeft geen leesbaar manifest.") from exc
    if meta.get("format") != FORMAT:
        raise RestoreError(f"Onbekend back-upformaat {meta.get('format')!r}.")
    dump = work / meta["database"]["file"]
    if manifest.file_sha256(dump) != meta["database"]["sha256"]:
        raise TamperedError("De databasedump klopt niet met het manifest.")
    for name, files in meta["media"].items():
        for relative, (_size, digest) in files.items():
            path = work / "media" / name / relative
            if not path.is_file() or manifest.file_sha256(path) != digest:
                raise TamperedError(f"Bestand {name}/{relative} klopt niet met het manifest.")
    return meta


def _require_empty(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        if cursor.fetchone()[0]:
            raise RestoreError(
                f"Database {connection.settings_dict['NAME']} is niet leeg: zet een back-up "
                "alleen terug in een nieuwe, lege database."
            )


def _pg_restore(connection, dump):
    path = postgres.checked_binary("pg_restore", connection)
    done = subprocess.run(  # noqa: S603 (a fixed binary, no shell)
        [
            path,
            "--no-password",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ],
        env=postgres.libpq_env(connection.settings_dict),
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise RestoreError(
            f"pg_restore mislukte: {done.stderr.decode(errors='replace').strip()[-500:]}"
        )


def _media_back(work, meta, roots):
    placed = 0
    for name, files in meta["media"].items():
        root = roots.get(name)
        if root is None:
            raise RestoreError(f"De back-up heeft media '{name}' maar daarvoor is geen map.")
        for relative in files:
            target = root / relative
            if target.exists():
                raise RestoreError(
                    f"Mediabestand {name}/{relative} bestaat al; niets overschreven."
                )
        for relative in files:
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(work / "media" / name / relative, target)
            placed += 1
    return placed


def check_encrypted(*, using, sample=SAMPLE):
    """[(column, rows that do not decrypt)] over up to ``sample`` values per encrypted
    column: the keys in FIELD_ENCRYPTION_KEYS must read the restored data."""
    bad = []
    qn = using.ops.quote_name
    with using.cursor() as cursor:
        for model, field in encrypted_fields():
            cursor.execute(
                f"SELECT {qn(field.column)} FROM {qn(model._meta.db_table)} "  # noqa: S608
                f"WHERE {qn(field.column)} IS NOT NULL ORDER BY {qn(model._meta.pk.column)} "
                "LIMIT %s",
                [sample],
            )
            failed = 0
            for (value,) in cursor.fetchall():
                if value in ("", b""):
                    continue
                try:
                    if field.get_internal_type() == "BinaryField":
                        crypto.decrypt_bytes(bytes(value), context=field.crypto_context)
                    else:
                        crypto.decrypt_text(value, context=field.crypto_context)
                except crypto.DecryptionError:
                    failed += 1
            if failed:
                bad.append((f"{model._meta.db_table}.{field.column}", failed))
    return bad


def verify_restored(meta, *, using):
    """Dutch lines of every difference between the restored database and the manifest."""
    problems = []
    counts = manifest.table_counts(using=using)
    for table, expected in sorted(meta["tables"].items()):
        if counts.get(table) != expected:
            problems.append(f"tabel {table}: {counts.get(table)} rijen, verwacht {expected}")
    heads, breaks = manifest.audit_heads(using=using)
    problems += [f"auditlog: {line}" for line in breaks]
    if heads != meta["audit_heads"]:
        problems.append("auditlog: de koppen van de ketens wijken af van het manifest")
    problems += [
        f"{column}: {n} waarden ontsleutelen niet met FIELD_ENCRYPTION_KEYS"
        for column, n in check_encrypted(using=using)
    ]
    return problems


def restore(source, *, using="default", app_role=None, media=None):
    """Restore the backup file ``source`` into the empty database ``using`` and its media
    into ``media`` ({name: folder}, default the settings'); returns (manifest, problems)."""
    keys = parse_keys(settings.BACKUP_ENCRYPTION_KEY)
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise RestoreError("Terugzetten met pg_restore kan alleen in PostgreSQL.")
    _require_empty(connection)
    base = Path(settings.BACKUP_DIR)
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=base) as work:
        os.chmod(work, 0o700)
        meta = unpack(source, work, keys)
        log.info("restore.unpacked", file=Path(source).name, tables=len(meta["tables"]))
        _pg_restore(connection, Path(work) / meta["database"]["file"])
        connection.close()  # the restored schema: no cached state from before
        placed = _media_back(Path(work), meta, media or media_roots())
    if app_role:
        from weerbaar.dbroles import grant_app_role

        grant_app_role(role=app_role, using=connection)
    problems = verify_restored(meta, using=connection)
    log.info(
        "restore.verified",
        file=Path(source).name,
        tables=len(meta["tables"]),
        media_files=placed,
        problems=len(problems),
    )
    return meta, problems
