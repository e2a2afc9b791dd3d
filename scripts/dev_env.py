"""Small helpers for scripts/run.sh and scripts/test.sh that are awkward in shell.

Standard library only for the subcommands the scripts need before (or without) the
project's dependencies; ``reachable`` uses psycopg/redis from the venv because a TCP
connect alone does not prove that the server answers its protocol, and the VAPID keys of
``write-run-env`` and ``vapid-keys`` come from ``cryptography``.

    python scripts/dev_env.py write-run-env var/run.env
    python scripts/dev_env.py vapid-keys
    python scripts/dev_env.py free-port
    python scripts/dev_env.py port-free 127.0.0.1 8000
    python scripts/dev_env.py reachable postgres://postgres@127.0.0.1:5432/weerbaar
    python scripts/dev_env.py wait-http http://127.0.0.1:8000/health/ 60
"""

import argparse
import base64
import os
import secrets
import socket
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def generate_field_key() -> str:
    """Same format as weerbaar.crypto.generate_key, without importing Django."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def generate_vapid_keys() -> dict[str, str]:
    """A Web Push (VAPID) key pair, base64url: the public key as the uncompressed P-256 point
    the browser takes, the private key as the raw 32-byte number. Uses ``cryptography`` from
    the venv (run.sh calls this after the install step)."""
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return {
        "VAPID_PUBLIC_KEY": b64(public),
        "VAPID_PRIVATE_KEY": b64(key.private_numbers().private_value.to_bytes(32, "big")),
    }


def embedded_settings(var_dir: Path) -> dict[str, str]:
    """The zero-setup development settings: SQLite, a file-system broker and cache,
    console mail. Values already in the environment win over the file when Django reads it
    (django-environ never overwrites), so DATABASE_URL=... make run still works."""
    var_dir = var_dir.resolve()
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": f"k1:{generate_field_key()}",
        "SEARCH_INDEX_KEY": generate_field_key(),
        "DEBUG": "true",
        "DEMO_MODE": "true",
        "SECURE_TRANSPORT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{var_dir / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "filesystem://",
        "CACHE_URL": f"filecache://{var_dir / 'cache'}",
        # Mail as files in var/mail/ (the in-app inbox shows the same notifications).
        "EMAIL_URL": "filemail://",
        **generate_vapid_keys(),
    }


# Lines of an older run.env that are replaced when run.sh starts: the default then, which
# printed every demo email to the terminal. A value someone chose stays.
OUTDATED_LINES = {"EMAIL_URL=consolemail://": "EMAIL_URL=filemail://"}


def update_run_env(path: Path) -> list[str]:
    """Replace outdated default lines of an existing run.env; returns the new lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    updated = [OUTDATED_LINES.get(line.strip(), line) for line in lines]
    if updated == lines:
        return []
    path.write_text("\n".join(updated) + "\n", encoding="utf-8")
    return [new for old, new in zip(lines, updated, strict=True) if old != new]


def write_run_env(path: Path) -> int:
    if path.exists():
        changed = update_run_env(path)
        if "VAPID_PRIVATE_KEY=" not in path.read_text(encoding="utf-8"):
            # Written before the portal had Web Push: add a key pair, keep the rest.
            with path.open("a", encoding="utf-8") as fh:
                fh.write("".join(f"{k}={v}\n" for k, v in generate_vapid_keys().items()))
            changed.append("VAPID keys for Web Push added")
        if "SEARCH_INDEX_KEY=" not in path.read_text(encoding="utf-8"):
            # Written before the portal had search: add its key, keep the rest.
            with path.open("a", encoding="utf-8") as fh:
                fh.write(f"SEARCH_INDEX_KEY={generate_field_key()}\n")
            changed.append("SEARCH_INDEX_KEY added")
        note = f"; updated {', '.join(changed)}" if changed else ""
        print(f"{path} exists; keeping its keys{note}.")
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Written once by scripts/run.sh for the embedded development mode (make run).",
        "# The keys below encrypt data in var/db.sqlite3: keep them with the database.",
        "# Variables set in the environment override the values in this file.",
        *(f"{key}={value}" for key, value in embedded_settings(path.parent).items()),
    ]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    print(f"{path} written with a new SECRET_KEY and FIELD_ENCRYPTION_KEYS.")
    return 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        print(sock.getsockname()[1])
    return 0


def port_free(host: str, port: int) -> int:
    """Exit 1 when something already listens there: runserver would fail, and a health check
    could be answered by that other server instead of ours."""
    with socket.socket() as sock:
        # As the server will: connections of an earlier run in TIME_WAIT do not count.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            print(f"{host}:{port} is in use ({exc.strerror}); choose another: PORT=8001 make run")
            return 1
    return 0


def reachable(url: str) -> int:
    """Exit 0 when the PostgreSQL or Redis server behind the URL answers."""
    try:
        if url.startswith(("postgres://", "postgresql://")):
            import psycopg
            from psycopg.conninfo import conninfo_to_dict, make_conninfo

            # Ask the server, not the database: the test run creates its own database.
            params = conninfo_to_dict(url)
            params["dbname"] = "postgres"
            psycopg.connect(make_conninfo(**params), connect_timeout=3).close()
        elif url.startswith(("redis://", "rediss://")):
            import redis

            redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3).ping()
        else:
            print(f"Unknown kind of URL: {url}", file=sys.stderr)
            return 2
    except Exception as exc:  # any failure means "not usable"; the reason is printed
        print(f"not reachable: {type(exc).__name__}: {exc}".strip(), file=sys.stderr)
        return 1
    return 0


def wait_http(url: str, timeout: float) -> int:
    """Wait until the URL answers at all (any HTTP status): the server is up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=3):  # noqa: S310 (our own http URL)
                return 0
        except urllib.error.HTTPError:
            return 0
        except OSError:
            time.sleep(0.5)
    print(f"{url} did not answer within {timeout:.0f} s.", file=sys.stderr)
    return 1


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("write-run-env").add_argument("path", type=Path)
    sub.add_parser("vapid-keys")
    sub.add_parser("free-port")
    check = sub.add_parser("port-free")
    check.add_argument("host")
    check.add_argument("port", type=int)
    sub.add_parser("reachable").add_argument("url")
    wait = sub.add_parser("wait-http")
    wait.add_argument("url")
    wait.add_argument("timeout", type=float, nargs="?", default=60)
    args = parser.parse_args(argv)
    if args.command == "write-run-env":
        return write_run_env(args.path)
    if args.command == "vapid-keys":
        print("\n".join(f"{k}={v}" for k, v in generate_vapid_keys().items()))
        return 0
    if args.command == "free-port":
        return free_port()
    if args.command == "port-free":
        return port_free(args.host, args.port)
    if args.command == "reachable":
        return reachable(args.url)
    return wait_http(args.url, args.timeout)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
