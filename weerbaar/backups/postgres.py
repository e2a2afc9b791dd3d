"""pg_dump and pg_restore for the configured database: found in ``PG_BIN_DIR`` when set, else
on PATH, and refused when older than the server (an older pg_dump cannot dump a newer
server). The password goes to them in the environment, never on the command line."""

import os
import re
import shutil
import subprocess

from django.conf import settings

__all__ = [
    "ToolError",
    "binary",
    "checked_binary",
    "libpq_env",
    "server_major",
    "server_version",
    "tool_major",
]


class ToolError(Exception):
    pass


def binary(name):
    folder = getattr(settings, "PG_BIN_DIR", "")
    path = os.path.join(folder, name) if folder else shutil.which(name)
    if not path or not os.access(path, os.X_OK):
        where = f"in PG_BIN_DIR ({folder})" if folder else "op PATH"
        raise ToolError(
            f"{name} niet gevonden {where}: installeer postgresql-client van dezelfde "
            "hoofdversie als de server, of zet PG_BIN_DIR."
        )
    return path


def tool_major(path):
    out = subprocess.run(  # noqa: S603 (the binary found above, no shell)
        [path, "--version"], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(match.group(1)) if match else 0


def server_version(connection):
    connection.ensure_connection()
    return connection.connection.info.server_version


def server_major(connection):
    return server_version(connection) // 10000


def checked_binary(name, connection):
    path = binary(name)
    tool, server = tool_major(path), server_major(connection)
    if tool < server:
        raise ToolError(
            f"{name} is versie {tool}, de server {server}: gebruik {name} {server} of nieuwer "
            f"(PG_BIN_DIR, bijvoorbeeld /usr/lib/postgresql/{server}/bin)."
        )
    return path


def libpq_env(settings_dict):
    """The environment for pg_dump/pg_restore to reach the database of ``settings_dict``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    options = settings_dict.get("OPTIONS") or {}
    pairs = {
        "PGDATABASE": settings_dict.get("NAME"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": str(settings_dict.get("PORT") or ""),
        "PGSSLMODE": options.get("sslmode"),
        "PGCONNECT_TIMEOUT": str(options.get("connect_timeout") or ""),
    }
    env.update({k: v for k, v in pairs.items() if v})
    return env
