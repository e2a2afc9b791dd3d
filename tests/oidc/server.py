"""Starts the loopback OpenID provider (tests/oidc/provider.mjs, the npm ``oidc-provider``)
for one test and stops it afterwards."""

import json
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SCRIPT = Path(__file__).resolve().parent / "provider.mjs"

__all__ = ["running_provider"]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_provider(*, clients, accounts):
    """Run the provider with ``clients`` and ``accounts`` (see provider.mjs); yields its
    issuer URL."""
    port = _free_port()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as config:
        json.dump({"port": port, "clients": clients, "accounts": accounts}, config)
    process = subprocess.Popen(
        ["node", str(SCRIPT), config.name],
        cwd=BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        if not line.startswith("ready "):
            process.kill()
            raise RuntimeError(f"oidc-provider did not start: {line}{process.stderr.read()}")
        yield line.split()[1]
    finally:
        process.terminate()
        process.wait(timeout=10)
        Path(config.name).unlink(missing_ok=True)
