"""What a backup holds, written beside the dump in the archive and checked after a restore:
rows per table and the audit chain's heads (read in the dump's own snapshot, so they are
exactly what the dump contains), and every media file with its size and sha256. No row
content: counts, hashes and names of tables and files."""

import hashlib
from pathlib import Path

from django.db import connection as default_connection

from weerbaar.audit_chain import verify

__all__ = ["audit_heads", "file_sha256", "media_files", "table_counts"]


def table_counts(*, using=default_connection):
    """{table: rows} for every table of the public schema."""
    with using.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [name for (name,) in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM public.{using.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def audit_heads(*, using=default_connection):
    """({lane: [lines, head hash]}, [broken links as text])."""
    breaks, heads = verify(using=using)
    return {str(h.lane): [h.lines, h.hash] for h in heads}, [str(b) for b in breaks]


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def media_files(root):
    """{relative path: [size, sha256]} of the regular files under ``root``."""
    root = Path(root)
    if not root.is_dir():
        return {}
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found[path.relative_to(root).as_posix()] = [path.stat().st_size, file_sha256(path)]
    return found
