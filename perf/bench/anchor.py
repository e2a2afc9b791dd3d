"""The django-helpdesk anchor (``../shared/anchors/helpdesk``) run beside the portal's load
test, in the same minutes and on the same PostgreSQL.

The anchor's scripts are a shared reference and are used as they are (its settings, its
gunicorn settings, its seed). Its load test is run as its ``load.py mix`` runs it (gunicorn
with 2 sync workers and the portal's gunicorn settings, 8 keep-alive client threads, the
same four paths), but driven and measured by the portal's own client
(``loadtest.drive``): the same code measures both, PostgreSQL's share included, which
``load.py`` takes from the whole server (on a shared server, other databases' work too).

Preparing it is done once and skipped afterwards: a virtualenv in a cache directory
(``~/.cache/weerbaar-anchor``: outside the repository and the image) with django-helpdesk
2.6.1 from PyPI, its database, migrations, 100 000 tickets and ``VACUUM ANALYZE``."""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.conf import settings

from . import loadtest

__all__ = ["AnchorMissing", "HelpdeskAnchor", "default_anchor_dir", "default_cache"]

PACKAGES = ["django-helpdesk==2.6.1", "psycopg[binary]", "Django==5.2.*", "gunicorn"]
TICKETS = 100_000
# The files this module uses; their absence means no anchor, not a broken one.
REQUIRED = [
    "scripts/seed.py",
    "scripts/gunicorn.conf.py",
    "proj/manage.py",
    "proj/hdproj/settings.py",
]


class AnchorMissing(Exception):
    """The anchor's scripts are not where they were looked for."""


def default_anchor_dir():
    return Path(settings.BASE_DIR).parent / "shared" / "anchors" / "helpdesk"


def default_cache():
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "weerbaar-anchor"


@dataclass
class HelpdeskAnchor:
    directory: Path
    cache: Path
    database: str
    log: object = print

    def __post_init__(self):
        self.directory = Path(self.directory)
        self.cache = Path(self.cache)
        missing = [name for name in REQUIRED if not (self.directory / name).is_file()]
        if missing:
            raise AnchorMissing(
                f"The django-helpdesk anchor is not at {self.directory} (missing: "
                f"{', '.join(missing)}). It is shared reference material, expected in "
                "../shared/anchors/helpdesk beside the repository; give its place with "
                "--anchor-dir, or run the load test without --load-anchor."
            )

    @property
    def python(self):
        return self.cache / ".hd-venv" / "bin" / "python"

    def _db(self):
        db = settings.DATABASES["default"]
        return {
            "host": db["HOST"] or "127.0.0.1",
            "port": db["PORT"] or 5432,
            "user": db["USER"],
            "password": db["PASSWORD"] or "",
        }

    def _env(self):
        """The anchor's settings read its database from HD_*; the role is the portal's, so
        both run on the same PostgreSQL (its settings fix the host at 127.0.0.1:5432)."""
        db = self._db()
        return dict(
            os.environ,
            HD_DB=self.database,
            HD_USER=db["user"],
            HD_PASSWORD=db["password"],
            DJANGO_SETTINGS_MODULE="hdproj.settings",
            PYTHONPATH=str(self.directory / "proj"),
        )

    def _connect(self, dbname, autocommit=True):
        return psycopg.connect(dbname=dbname, autocommit=autocommit, **self._db())

    def _run(self, args, cwd, timeout):
        subprocess.run(  # noqa: S603 (fixed arguments, no user input)
            [str(a) for a in args], cwd=cwd, env=self._env(), check=True, timeout=timeout
        )

    # Preparing, once -----------------------------------------------------------------

    def prepare(self):
        db = self._db()
        if db["host"] not in ("127.0.0.1", "localhost") or int(db["port"]) != 5432:
            # The anchor's settings fix its server; the comparison needs the same one.
            raise RuntimeError(
                "The anchor runs on PostgreSQL at 127.0.0.1:5432 only; the portal's database "
                f"is at {db['host']}:{db['port']}, so they would not share a server."
            )
        self._venv()
        self._database()
        self._run([self.python, "manage.py", "migrate", "-v0"], self.directory / "proj", 600)
        self._seed()

    def _venv(self):
        check = [str(self.python), "-c", "import helpdesk, gunicorn, psycopg"]
        if self.python.exists() and subprocess.run(check, capture_output=True).returncode == 0:  # noqa: S603
            return
        self.log(f"  anchor: virtualenv in {self.python.parent.parent} (pip, from PyPI)")
        self.cache.mkdir(parents=True, exist_ok=True)
        # The portal's own interpreter (the venv's base), so both run on the same build.
        base = getattr(sys, "_base_executable", sys.executable)
        subprocess.run([base, "-m", "venv", str(self.python.parent.parent)], check=True)  # noqa: S603
        subprocess.run(  # noqa: S603
            [str(self.python), "-m", "pip", "install", "-q", *PACKAGES], check=True, timeout=900
        )

    def _database(self):
        with self._connect("postgres") as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [self.database]
            ).fetchone()
            if not exists:
                self.log(f"  anchor: create database {self.database}")
                conn.execute(f'CREATE DATABASE "{self.database}"')

    def _seed(self):
        with self._connect(self.database) as conn:
            (tickets,) = conn.execute("SELECT count(*) FROM helpdesk_ticket").fetchone()
            if tickets == 0:
                self.log(f"  anchor: seed {TICKETS} tickets (a few minutes)")
                self._run([self.python, "scripts/seed.py", TICKETS], self.directory, 1800)
            elif tickets != TICKETS:
                raise RuntimeError(
                    f"{self.database} holds {tickets} tickets, not {TICKETS}: a seed that "
                    "stopped half-way. Drop the database and run again."
                )
            vacuumed = conn.execute(
                "SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = 'helpdesk_ticket'"
            ).fetchone()
            if tickets == 0 or not (vacuumed and vacuumed[0]):
                self.log(f"  anchor: VACUUM ANALYZE {self.database}")
                conn.execute("VACUUM ANALYZE")

    # Measuring -------------------------------------------------------------------------

    def run_load(self, *, duration=25, threads=8, workers=2):
        """One run of the anchor's mix (``load.py mix``: its list page, its list JSON and
        two tickets), driven and measured by the portal's own load client."""
        client = [str(self.python), str(Path(__file__).with_name("anchor_client.py"))]
        started = self._client([*client, "start"])
        # Thread k starts at path k, as in load.py.
        paths = started["paths"]
        cookies = [(started["session"], paths[k:] + paths[:k]) for k in range(len(paths))]
        port = loadtest._free_port()
        proc = subprocess.Popen(  # noqa: S603 (fixed arguments, no user input)
            loadtest.gunicorn_command(
                self.python.with_name("gunicorn"),
                "hdproj.wsgi",
                self.directory / "scripts" / "gunicorn.conf.py",
                workers,
                port,
            ),
            cwd=self.directory / "proj",
            env=self._env(),
        )
        try:
            loadtest._wait_for(port, proc)
            result = loadtest.drive(
                port,
                proc,
                cookies,
                duration,
                threads,
                workers,
                lambda msg: self.log(msg.replace("  load:", "  anchor load:")),
                database=self.database,
                cookie=started["cookie"],
            )
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            self._client([*client, "end", started["session"]])
        return result

    def _client(self, args):
        proc = subprocess.run(  # noqa: S603 (fixed arguments, no user input)
            args,
            cwd=self.directory / "proj",
            env=self._env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if proc.returncode:
            raise RuntimeError(f"the anchor's client failed:\n{proc.stderr}")
        return json.loads(proc.stdout.strip().splitlines()[-1]) if proc.stdout.strip() else None
