"""Making one backup: a consistent dump, the media and a manifest in one tar, encrypted.

Consistency: a REPEATABLE READ transaction exports its snapshot and pg_dump dumps exactly
that snapshot (``--snapshot``); the manifest's counts and audit heads are read in the same
transaction, so they describe the dump and not the database a second later. The portal keeps
running meanwhile: the snapshot blocks no writer.

The dump is written to a private temporary folder beside the backups (pg_dump's custom
format needs a file to be packed with its size) and removed when the archive is written; the
archive is written under a temporary name and renamed when complete, so a backup file that
exists is whole."""

import base64
import io
import json
import os
import subprocess
import tarfile
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import structlog
from django.conf import settings
from django.db import connections, transaction

from . import manifest, postgres
from .stream import BackupKeyError, EncryptingWriter, parse_keys

__all__ = [
    "FORMAT",
    "SUFFIX",
    "BackupError",
    "backup_key",
    "backup_name",
    "make_backup",
    "media_roots",
]

log = structlog.get_logger(__name__)

FORMAT = 1
SUFFIX = ".wbbackup"
PREFIX = "weerbaar-"


class BackupError(Exception):
    pass


def media_roots():
    """{name in the archive: folder} of the uploaded files kept on disk. Today every upload
    (attachments, documents, logos) is stored encrypted in the database; the folders are
    backed up all the same, so a file put there later is not silently left out."""
    roots = {"private": Path(settings.PRIVATE_MEDIA_ROOT)}
    if getattr(settings, "MEDIA_ROOT", ""):
        roots["public"] = Path(settings.MEDIA_ROOT)
    return roots


def backup_name(moment):
    return f"{PREFIX}{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}{SUFFIX}"


def _dump(connection, target, snapshot):
    path = postgres.checked_binary("pg_dump", connection)
    return subprocess.Popen(  # noqa: S603 (a fixed binary, no shell)
        [path, "--format=custom", "--no-password", f"--snapshot={snapshot}", f"--file={target}"],
        env=postgres.libpq_env(connection.settings_dict),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _snapshot_dump(connection, target):
    """Dump in one exported snapshot; returns the counts, audit heads and audit breaks of
    that snapshot."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        # The transaction waits for pg_dump; the server must not end it as idle.
        cursor.execute("SET LOCAL idle_in_transaction_session_timeout = 0")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        process = _dump(connection, target, snapshot)
        try:
            counts = manifest.table_counts(using=connection)
            heads, breaks = manifest.audit_heads(using=connection)
        except BaseException:
            process.kill()
            process.wait()
            raise
        _out, err = process.communicate()
    if process.returncode != 0:
        # pg_dump's messages name objects, not row content.
        raise BackupError(f"pg_dump mislukte: {err.decode(errors='replace').strip()[-500:]}")
    return counts, heads, breaks


def _pack(archive, meta, dump_path, roots):
    with tarfile.open(fileobj=archive, mode="w|") as tar:
        body = json.dumps(meta, indent=1, sort_keys=True).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size, info.mtime = len(body), int(time.time())
        tar.addfile(info, io.BytesIO(body))
        tar.add(dump_path, arcname="database.dump", recursive=False)
        for name, root in roots.items():
            for relative in meta["media"][name]:
                tar.add(root / relative, arcname=f"media/{name}/{relative}", recursive=False)


def backup_key():
    """The key new backups are made with; refused when it is one of the other keys: a backup
    key that is also a field key would put the data and its key in the same hands."""
    key = parse_keys(settings.BACKUP_ENCRYPTION_KEY)[0]
    others = [entry.partition(":")[2] for entry in settings.FIELD_ENCRYPTION_KEYS]
    others.append(settings.SEARCH_INDEX_KEY)
    for other in others:
        try:
            same = base64.urlsafe_b64decode(other.strip()) == key
        except ValueError:
            continue
        if same:
            raise BackupKeyError(
                "BACKUP_ENCRYPTION_KEY is gelijk aan een veld- of zoeksleutel: kies een eigen "
                "sleutel voor de back-ups."
            )
    return key


def make_backup(*, directory=None, using="default", now=None):
    """Write one encrypted backup into ``directory`` (``BACKUP_DIR``); returns (path,
    manifest). Raises ``BackupError`` (or ``BackupKeyError``) without leaving a file."""
    key = backup_key()
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise BackupError("Een back-up met pg_dump kan alleen van PostgreSQL.")
    directory = Path(directory or settings.BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    now = now or datetime.now(UTC)
    target = directory / backup_name(now)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=".tmp-", dir=directory) as work:
        os.chmod(work, 0o700)
        dump_path = Path(work) / "database.dump"
        counts, heads, breaks = _snapshot_dump(connection, dump_path)
        roots = media_roots()
        meta = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "database": {
                "file": "database.dump",
                "size": dump_path.stat().st_size,
                "sha256": manifest.file_sha256(dump_path),
                "server_version": postgres.server_version(connection),
            },
            "tables": counts,
            "audit_heads": heads,
            "audit_breaks": breaks,
            "media": {name: manifest.media_files(root) for name, root in roots.items()},
        }
        partial = Path(work) / "archive.partial"
        with open(partial, "wb") as raw:
            writer = EncryptingWriter(raw, key)
            _pack(writer, meta, dump_path, roots)
            writer.close()
            os.fsync(raw.fileno())
        os.replace(partial, target)
    os.chmod(target, 0o600)
    log.info(
        "backup.written",
        file=target.name,
        bytes=target.stat().st_size,
        tables=len(counts),
        rows=sum(counts.values()),
        media_files=sum(len(files) for files in meta["media"].values()),
        audit_lanes=len(heads),
        audit_breaks=len(breaks),
        seconds=round(time.monotonic() - started, 1),
    )
    return target, meta
