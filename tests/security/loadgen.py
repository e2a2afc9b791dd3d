"""A small load generator on ``http.client``: a browser-like session per thread (cookies,
CSRF token, the HTTPS header the production proxy sets) and a gunicorn harness running the
production settings on the test database. Loopback only."""

import http.client
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from .services import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Gunicorn:
    """``gunicorn weerbaar.wsgi`` with ``weerbaar.settings`` (DEBUG off, secure transport on,
    the proxy's ``X-Forwarded-Proto: https`` trusted) against the given database."""

    def __init__(self, database_url, redis_url, *, workers=2, config=None, output=None, env=None):
        """``config``: a gunicorn config file (the web container's, for instance); ``output``:
        a file that gets gunicorn's stdout and stderr (the access and error logs)."""
        self.port = free_port()
        self.database_url = database_url
        self.redis_url = redis_url
        self.workers = workers
        self.config = config
        self.output = output
        self.extra_env = env or {}
        self.process = None

    def start(self):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "weerbaar.settings",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "CACHE_KEY_PREFIX": "load",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_TRANSPORT": "true",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            # No collectstatic in the test tree: plain storage instead of the manifest.
            "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
            **self.extra_env,
        }
        config = ["--config", str(self.config)] if self.config else []
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "weerbaar.wsgi",
                *config,
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.output or subprocess.DEVNULL,
            stderr=self.output or subprocess.PIPE,
        )
        wait_for_port(self.port, timeout=30)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                # A worker still waiting on a request past gunicorn's graceful timeout (a
                # loaded machine): the test is over, so stop it hard rather than fail.
                self.process.kill()
                self.process.wait(timeout=20)
        if self.process and self.process.stderr:
            return self.process.stderr.read().decode(errors="replace")
        return ""


class Browser:
    """One person's session: keeps cookies, sends the CSRF token and same-origin headers."""

    def __init__(self, port):
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.timings = []  # (label, seconds, status)
        self.last_headers = []

    def request(self, method, path, data=None, label=None):
        headers = {"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.timings.append((label or path, time.perf_counter() - started, 0))
            raise
        self.timings.append((label or path, time.perf_counter() - started, response.status))
        self.last_headers = response.getheaders()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location") or "", content.decode()

    def get(self, path, label=None):
        return self.request("GET", path, label=label)

    def post_form(self, path, data, label=None):
        """GET the page for its CSRF token, then POST the form as a browser does."""
        _status, _loc, html = self.get(path, label=f"GET {label or path}")
        match = CSRF_INPUT.search(html)
        token = match.group(1) if match else ""
        return self.request(
            "POST", path, {**data, "csrfmiddlewaretoken": token}, label=f"POST {label or path}"
        )


def percentile(values, pct):
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]
