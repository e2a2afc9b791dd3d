"""The restore drill: load data in a database of its own, ``manage.py backup``, then
``manage.py restore`` into a new empty database, each as the operator would run it (its own
process). The restored database has the same rows per table, its encrypted fields decrypt
with the keys in force to exactly what the source held, the audit chain verifies with the
same heads, and the periodic jobs run after the restore do not escalate, remind or mail again
what was done before the backup. A backup with one byte changed, or read with another key,
is refused with a message saying so and the target database stays empty.

Databases: weerbaar_backup_drill_src/_dst/_bad, made and dropped here."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from weerbaar.backups.restore import unpack
from weerbaar.backups.stream import BackupKeyError, parse_keys
from weerbaar.crypto import generate_key

pytestmark = pytest.mark.faults

ROOT = Path(__file__).resolve().parents[2]
SCALE = "0.01"
DATABASES = ("weerbaar_backup_drill_src", "weerbaar_backup_drill_dst", "weerbaar_backup_drill_bad")


def _url(name, user=None):
    parts = urlsplit(os.environ["DATABASE_URL"])
    if user:
        password = f":{parts.password}" if parts.password else ""
        port = f":{parts.port}" if parts.port else ""
        parts = parts._replace(netloc=f"{user}{password}@{parts.hostname}{port}")
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin(statements):
    with psycopg.connect(_url("postgres"), autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)


def _tables(name):
    with psycopg.connect(_url(name)) as conn:
        sql = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        return conn.execute(sql).fetchone()[0]


class Drill:
    """Runs commands as the operator would. The restored database is production's: owned by
    the owner role, restored as it, then used by the app role (tests/db_roles.py)."""

    def __init__(self, work, roles):
        self.work = work
        self.owner, self.app = roles
        # Who the portal connects as, per database: after the restore, the app role.
        self.user = {DATABASES[1]: self.app}
        self.key = generate_key()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "BACKUP_DIR": str(work / "backups"),
            "BACKUP_ENCRYPTION_KEY": self.key,
            "PRIVATE_MEDIA_ROOT": str(work / "private-src"),
        }

    def run(self, database, *args, check=True, user=None, **env):
        done = subprocess.run(
            args,
            cwd=ROOT,
            env={
                **self.env,
                "DATABASE_URL": _url(database, user or self.user.get(database)),
                **env,
            },
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if check:
            assert done.returncode == 0, done.stdout + done.stderr
        return done

    def manage(self, database, *args, **kw):
        return self.run(database, sys.executable, "manage.py", *args, **kw)

    def restore(self, database, file, **env):
        args = ("restore", str(file), "--app-role", self.app)
        return self.manage(database, *args, user=self.owner, check=False, **env)

    def probe(self, database, *args):
        out = self.run(database, sys.executable, "tests/backup_drill.py", *args).stdout
        return json.loads(out.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def drill(tmp_path_factory, db_roles_names):
    """Source filled and caught up, backed up, restored: everything each test looks at."""
    d = Drill(tmp_path_factory.mktemp("drill"), db_roles_names)
    _admin([f"DROP DATABASE IF EXISTS {n} WITH (FORCE)" for n in DATABASES])
    _admin([f"CREATE DATABASE {n} OWNER {d.owner}" for n in DATABASES])
    src, dst = DATABASES[:2]
    d.manage(src, "migrate", "-v0")
    d.manage(src, "seed_load", "--scale", SCALE)
    # A file in the private media folder, as an upload kept on disk would be.
    media = Path(d.env["PRIVATE_MEDIA_ROOT"]) / "2026" / "bijlage.bin"
    media.parent.mkdir(parents=True)
    media.write_bytes(os.urandom(3000))
    # Every job once more at the moment the backup is made: all that is due is done.
    d.at = datetime.now(UTC).replace(microsecond=0).isoformat()
    d.before_sweep = d.probe(src, "sweep", d.at)
    backup = d.manage(src, "backup")
    d.backup_out = backup.stdout + backup.stderr
    (d.file,) = (d.work / "backups").glob("weerbaar-*.wbbackup")
    d.restored = d.restore(dst, d.file, PRIVATE_MEDIA_ROOT=str(d.work / "private-dst"))
    d.media = media
    yield d
    _admin([f"DROP DATABASE IF EXISTS {n} WITH (FORCE)" for n in DATABASES])


def test_restore_reports_counts_audit_and_fields_in_order(drill):
    assert drill.restored.returncode == 0, drill.restored.stdout + drill.restored.stderr
    assert "Teruggezet en gecontroleerd" in drill.restored.stdout
    assert "rijen gelijk aan het manifest" in drill.restored.stdout


def test_every_table_has_the_same_rows_after_restore(drill):
    def counts(name):
        with psycopg.connect(_url(name)) as conn:
            tables = [
                t
                for (t,) in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                )
            ]
            return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}

    source, restored = counts(DATABASES[0]), counts(DATABASES[1])
    assert source == restored
    assert source["incidents_melding"] >= 1000  # scale 0.01


def test_encrypted_fields_decrypt_to_what_the_source_held(drill):
    source = drill.probe(DATABASES[0], "state")
    restored = drill.probe(DATABASES[1], "state")
    assert restored["decrypted"] == source["decrypted"]
    assert restored["decrypted"]["incidents.Melding.description"][0] > 0
    # Not a copy of the plaintext: the column in the restored database is ciphertext.
    with psycopg.connect(_url(DATABASES[1])) as conn:
        raw = conn.execute("SELECT description FROM incidents_melding LIMIT 1").fetchone()[0]
    assert raw.startswith("v1:")


def test_audit_chain_verifies_with_the_heads_of_the_backup(drill, tmp_path):
    meta = unpack(drill.file, tmp_path, parse_keys(drill.key))
    restored = drill.manage(DATABASES[1], "verify_audit").stdout
    assert "ketens in orde" in restored
    assert meta["audit_heads"]
    assert sorted(line for line in restored.splitlines() if line.startswith("keten ")) == sorted(
        f"keten {lane}: {lines} regels in orde, laatste hash {head}"
        for lane, (lines, head) in meta["audit_heads"].items()
    )


def test_private_media_come_back_byte_for_byte(drill):
    restored = drill.work / "private-dst" / "2026" / "bijlage.bin"
    assert restored.read_bytes() == drill.media.read_bytes()


def test_jobs_after_restore_do_not_act_again_on_what_was_done_before(drill):
    done_before = drill.before_sweep["after"]
    # Escalations, reminders and sent notifications existed before the backup.
    assert done_before["incidents_jobrecords"] > 0
    assert done_before["notifications_sent"] > 0
    assert done_before["otwb_sweeprecords"] > 0

    after = drill.probe(DATABASES[1], "sweep", drill.at)

    assert after["after"] == done_before
    assert after["mails"] == 0
    # The monitor's summary is rebuilt for the recent months on every run by design: figures
    # counted again from the restored meldingen, nothing sent, no case touched.
    acted = {name: n for name, n in after["acted_per_sweep"].items() if name != "monitor-summary"}
    assert set(acted.values()) <= {0}, acted
    # What holds them back is the restored records of acting: without them (rolled back) the
    # same jobs at the same moment would remind again.
    again = drill.probe(DATABASES[1], "without-records", drill.at)["acted_per_sweep"]
    assert sum(n or 0 for n in again.values()) > 0, again


def test_a_backup_with_one_byte_changed_is_refused_and_nothing_restored(drill):
    data = bytearray(drill.file.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered = drill.work / "tampered.wbbackup"
    tampered.write_bytes(data)

    done = drill.restore(DATABASES[2], tampered)

    assert done.returncode != 0
    assert "De back-up is beschadigd of gewijzigd" in done.stderr
    assert _tables(DATABASES[2]) == 0


def test_a_backup_read_with_another_key_is_refused(drill, tmp_path):
    with pytest.raises(BackupKeyError, match="met een andere sleutel versleuteld"):
        unpack(drill.file, tmp_path, parse_keys(generate_key()))
    assert not list(tmp_path.iterdir())


def test_the_old_key_behind_the_new_one_still_reads_the_backup(drill, tmp_path):
    keys = parse_keys(f"{generate_key()},{drill.key}")
    assert unpack(drill.file, tmp_path, keys)["tables"]["incidents_melding"] >= 1000


def test_restore_refuses_a_database_that_is_not_empty(drill):
    done = drill.manage(DATABASES[0], "restore", str(drill.file), check=False)

    assert done.returncode != 0
    assert "is niet leeg" in done.stderr


def test_the_backup_log_says_nothing_of_the_content(drill):
    with psycopg.connect(_url(DATABASES[0])) as conn:
        rows = conn.execute(
            "SELECT full_name, email FROM weerbaar_user WHERE full_name <> '' LIMIT 50"
        ).fetchall()
    text = drill.backup_out + drill.restored.stdout + drill.restored.stderr
    assert "backup.written" in text
    assert rows
    assert not [value for row in rows for value in row if value in text]
