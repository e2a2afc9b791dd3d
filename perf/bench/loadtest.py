"""A short load test on loopback: gunicorn with the production settings (DEBUG off, a
fresh 60-character SECRET_KEY, the manifest static storage; plain HTTP because it is
loopback only) and 2 workers, driven for a bounded time by threads
that each keep one HTTP/1.1 connection and a logged-in session cookie, requesting a fixed
mix of pages."""

import http.client
import os
import secrets
import socket
import string
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection
from django.test import override_settings

from .sessions import end_sessions, session_key_for
from .stats import percentile

__all__ = ["DatabaseBackends", "drive", "production_server", "run_load"]

HOST = "127.0.0.1"


def gunicorn_command(gunicorn, app, config, workers, port):
    """gunicorn serving ``app`` with ``config`` on HOST:``port``: no access log, warnings
    and errors on stderr. The portal's load test and the anchor's start it alike."""
    return [
        str(gunicorn),
        app,
        "--config",
        str(config),
        "-w",
        str(workers),
        "-b",
        f"{HOST}:{port}",
        "--access-logfile",
        "/dev/null",
        "--error-logfile",
        "-",
        "--log-level",
        "warning",
    ]


def _free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _env(port, secret_key, static_root):
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="weerbaar.settings",
        DEBUG="false",
        SECURE_TRANSPORT="false",
        SECRET_KEY=secret_key,
        DATABASE_URL=url,
        REDIS_URL=os.environ.get("REDIS_URL", ""),
        FIELD_ENCRYPTION_KEYS=",".join(settings.FIELD_ENCRYPTION_KEYS),
        SEARCH_INDEX_KEY=settings.SEARCH_INDEX_KEY,
        ALLOWED_HOSTS=HOST,
        STATIC_ROOT=str(static_root),
        LOG_LEVEL="WARNING",
    )
    return env


def _wait_for(port, proc, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited at startup")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start listening")


def _stat_fields(pid):
    """The fields of /proc/PID/stat after the command name (state, ppid, ...); None when the
    process is gone (or not Linux)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _stat(pid):
    """utime, stime, cutime, cstime of a process in seconds; None when it is gone."""
    fields = _stat_fields(pid)
    if fields is None:
        return None
    return [int(f) / os.sysconf("SC_CLK_TCK") for f in fields[11:15]]


def _cpu_seconds(pids):
    """CPU time (user + system) used so far by these processes; None when one is gone, or
    when there are none (a database on another host: its CPU is not known, not zero)."""
    if not pids:
        return None
    stats = [_stat(pid) for pid in pids]
    return None if None in stats else sum(sum(s[:2]) for s in stats)


def _children_cpu_seconds(parent):
    """CPU time of a process's children so far: the live ones, and those that ended, which
    the parent has reaped into its children's time. For gunicorn's master, its workers (one
    replaced after ``max_requests`` included); for PostgreSQL's postmaster, its backends."""
    try:
        children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    except OSError:
        return None
    own = _stat(parent)
    live = _cpu_seconds(children)
    return None if own is None or live is None else sum(own[2:]) + live


def _process_tree_cpu_seconds(pid):
    """CPU time of a process and of its children so far: for gunicorn, the master (which
    forks the replacement of a worker that reached ``max_requests``) and its workers."""
    own = _cpu_seconds([pid])
    children = _children_cpu_seconds(pid)
    return None if own is None or children is None else own + children


def _postmaster():
    """The PostgreSQL server's main process, when it runs on this machine (None otherwise):
    the parent of this connection's backend."""
    if settings.DATABASES["default"]["HOST"] not in ("127.0.0.1", "localhost", ""):
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    fields = _stat_fields(backend)
    return int(fields[1]) if fields else None


class DatabaseBackends:
    """CPU of the PostgreSQL backends connected to one database, for the load test's window.

    The postmaster's children include every database's backends, and on a shared server
    other databases' work would be divided by this load's requests (at 10 requests/s the
    portal's PostgreSQL share read 25 ms instead of 3). A backend's CPU is only in
    ``/proc`` while it lives: a gunicorn worker replaced after ``max_requests`` ends its
    connection, and the postmaster reaps it without saying whose it was. So the backends
    of the database are sampled every ``interval`` seconds, from a connection to another
    database, and each one's last reading counts (at most one interval of an ending
    backend's work is lost). The sampler's own CPU is reported, for the client to leave
    out (the polling thread's; not the first and last readings, outside the window)."""

    def __init__(self, dbname, exclude=(), interval=0.5):
        self.dbname, self.exclude, self.interval = dbname, set(exclude), interval
        self.first, self.last = {}, {}
        self.own_cpu = 0.0
        self._stop = threading.Event()
        db = settings.DATABASES["default"]
        self._conn = psycopg.connect(
            dbname="postgres",
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
            user=db["USER"],
            password=db["PASSWORD"] or "",
            autocommit=True,
        )
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _sample(self, at_start=False):
        rows = self._conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'",
            [self.dbname],
        ).fetchall()
        for (pid,) in rows:
            cpu = _cpu_seconds([pid]) if pid not in self.exclude else None
            if cpu is None:
                continue
            # A backend born during the run: all of its CPU is the run's.
            self.first.setdefault(pid, cpu if at_start else 0.0)
            self.last[pid] = cpu

    def _poll(self):
        started = time.thread_time()
        while not self._stop.wait(self.interval):
            self._sample()
        self.own_cpu = time.thread_time() - started

    def start(self):
        self._sample(at_start=True)
        self._thread.start()

    def stop(self):
        """CPU seconds of the database's backends since ``start``."""
        self._stop.set()
        self._thread.join()
        self._sample()
        self._conn.close()
        return sum(self.last[pid] - self.first[pid] for pid in self.last)


def _keep_cookies(jar, response):
    for header in response.msg.get_all("Set-Cookie") or ():
        for name, morsel in SimpleCookie(header).items():
            if morsel["max-age"] == "0":
                jar.pop(name, None)
            else:
                jar[name] = morsel.value


def _worker(port, cookie, paths, stop_at, out, cookie_name=None):
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    # Cookies are kept as a browser keeps them: the session, and the CSRF cookie the first
    # page sets (without it every page would make and send a new CSRF secret).
    jar = {cookie_name or settings.SESSION_COOKIE_NAME: cookie}
    n = 0
    while time.monotonic() < stop_at:
        path = paths[n % len(paths)]
        n += 1
        start = time.perf_counter()
        try:
            cookies = "; ".join(f"{name}={value}" for name, value in jar.items())
            conn.request("GET", path, headers={"Cookie": cookies, "Host": HOST})
            response = conn.getresponse()
            response.read()
            status = response.status
            _keep_cookies(jar, response)
        except (OSError, http.client.HTTPException) as exc:
            status = type(exc).__name__
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
        out.append((time.perf_counter() - start, status))
    conn.close()


@contextmanager
def production_server(workers=2):
    """gunicorn as in production (DEBUG off, a fresh SECRET_KEY, whitenoise serving the
    collected, fingerprinted and compressed static files) on a free loopback port.
    Yields ``(port, secret_key, process)``; stops gunicorn afterwards."""
    secret_key = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(60))
    static_root = Path(settings.BASE_DIR) / "var" / "bench-static"
    port = _free_port()
    env = _env(port, secret_key, static_root)
    python = sys.executable
    subprocess.run(  # noqa: S603 (fixed arguments, no user input)
        [python, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
    )
    gunicorn = Path(python).with_name("gunicorn")
    proc = subprocess.Popen(  # noqa: S603 (fixed arguments, no user input)
        # The production container's settings (worker class, preloading), with this test's
        # address and number of workers.
        gunicorn_command(
            gunicorn,
            "weerbaar.wsgi",
            Path(settings.BASE_DIR) / "docker" / "gunicorn.conf.py",
            workers,
            port,
        ),
        cwd=settings.BASE_DIR,
        env=env,
    )
    try:
        _wait_for(port, proc)
        yield port, secret_key, proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def run_load(mix, *, duration=25, threads=8, workers=2, log=print):
    """``mix``: [(user, [paths])]; threads are spread over the users. Returns a dict."""
    with production_server(workers) as (port, secret_key, proc):
        with override_settings(SECRET_KEY=secret_key):
            cookies = [(session_key_for(user), paths) for user, paths in mix]
        try:
            return drive(port, proc, cookies, duration, threads, workers, log)
        finally:
            end_sessions(key for key, _paths in cookies)


def _own_backend():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def drive(port, proc, cookies, duration, threads, workers, log, *, database=None, cookie=None):
    """Drive the gunicorn ``proc`` listening on ``port``: ``cookies`` is [(session key,
    [paths])], thread k takes entry k modulo their number. ``database`` (default the
    portal's) is the one whose backends count as this load's PostgreSQL; ``cookie`` the
    session cookie's name (default the portal's)."""
    # Warm-up: every worker imports, connects and fills its caches.
    warm = []
    all_paths = [p for _c, ps in cookies for p in ps]
    _worker(port, cookies[0][0], all_paths, time.monotonic() + 3, warm, cookie)
    samples = []
    # CPU per request of the web workers, of PostgreSQL and of this client: on a shared
    # machine these are steadier than the rate, which depends on what else runs.
    postmaster = _postmaster()
    backends = None
    if postmaster:
        backends = DatabaseBackends(
            database or settings.DATABASES["default"]["NAME"], exclude=[_own_backend()]
        )
        backends.start()
    cpu_before = [
        _process_tree_cpu_seconds(proc.pid),
        # The whole PostgreSQL server: every process the postmaster has, and has reaped
        # (other databases' work included; ``database_own`` below is this load's alone).
        _children_cpu_seconds(postmaster) if postmaster else None,
        time.process_time(),
    ]
    stop_at = time.monotonic() + duration
    pool = [
        threading.Thread(
            target=_worker, args=(port, *cookies[k % len(cookies)], stop_at, samples, cookie)
        )
        for k in range(threads)
    ]
    started = time.monotonic()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.monotonic() - started
    cpu_after = [
        _process_tree_cpu_seconds(proc.pid),
        _children_cpu_seconds(postmaster) if postmaster else None,
        time.process_time(),
    ]
    own_database = backends.stop() if backends else None
    if backends:
        cpu_after[2] -= backends.own_cpu
    times = [s * 1000 for s, _status in samples]
    failed = Counter(str(status) for _s, status in samples if status != 200)
    result = {
        "requests": len(samples),
        "seconds": round(elapsed, 1),
        "rps": round(len(samples) / elapsed, 1),
        "p50_ms": round(percentile(times, 50), 1) if times else None,
        "p95_ms": round(percentile(times, 95), 1) if times else None,
        "errors": sum(failed.values()),
        "error_kinds": dict(failed),
        "workers": workers,
        "threads": threads,
    }
    for name, before, after in zip(
        ("server", "database", "client"), cpu_before, cpu_after, strict=True
    ):
        if before is not None and after is not None and samples:
            result[f"{name}_cpu_ms"] = round((after - before) * 1000 / len(samples), 2)
    if own_database is not None and samples:
        result["database_own_cpu_ms"] = round(own_database * 1000 / len(samples), 2)
    log(f"  load: {result}")
    return result
