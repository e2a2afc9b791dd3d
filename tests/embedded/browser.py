"""A small browser for load tests: one keep-alive connection, its own cookie jar, the CSRF
token from its cookie, form and multipart posts, logging in with a second factor. Every
request is timed and recorded with its status."""

import http.client
import re
import time
import uuid
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pyotp

__all__ = ["Browser", "Response"]

PK_IN_CASE_URL = re.compile(r"^/meldingen/(\d+)/(?:verstuurd/)?$")


@dataclass
class Response:
    status: int
    location: str
    text: str


class Browser:
    def __init__(self, url, record, *, source=None):
        """``source``: the loopback address this browser connects from (127.0.0.0/8 is all
        this machine), so that people are told apart by address as on the internet."""
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.source = (source, 0) if source else None
        self.record = record  # record(label, seconds, status)
        self.jar = {}
        self.conn = None

    def _keep_cookies(self, response):
        for header in response.msg.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.jar.pop(name, None)
                else:
                    self.jar[name] = morsel.value

    def request(self, method, path, *, label, body=None, content_type=None):
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        if content_type:
            headers["Content-Type"] = content_type
        if self.conn is None:
            self.conn = http.client.HTTPConnection(
                self.host, self.port, timeout=60, source_address=self.source
            )
        start = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            raw = self.conn.getresponse()
            text = raw.read().decode("utf-8", errors="replace")
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            self.conn = None
            self.record(label, time.perf_counter() - start, type(exc).__name__)
            return Response(0, "", str(exc))
        self.record(label, time.perf_counter() - start, raw.status)
        self._keep_cookies(raw)
        if (raw.getheader("Connection") or "").lower() == "close":
            self.conn.close()
            self.conn = None
        return Response(raw.status, raw.getheader("Location") or "", text)

    def get(self, path, *, label):
        return self.request("GET", path, label=label)

    def post(self, path, fields, *, label, files=None):
        fields = {"csrfmiddlewaretoken": self.jar.get("csrftoken", ""), **fields}
        if files:
            body, content_type = _multipart(fields, files)
        else:
            body = urlencode(fields, doseq=True).encode()
            content_type = "application/x-www-form-urlencoded"
        return self.request("POST", path, label=label, body=body, content_type=content_type)

    def log_in(self, email, password, totp_secret=None):
        """Returns None when signed in, else what went wrong."""
        self.get("/accounts/login/", label="login")
        response = self.post(
            "/accounts/login/", {"login": email, "password": password}, label="login"
        )
        if response.status != 302:
            return f"login of {email}: {response.status}"
        if "/2fa/authenticate/" in response.location:
            step = response.location
            self.get(step, label="login")
            totp = pyotp.TOTP(totp_secret)
            response = self.post(step, {"code": totp.now()}, label="login")
            if response.status == 200:
                # The code was refused: typed as its 30 s window turned over on a loaded
                # machine, or already used once in it. A person waits for the next code on
                # their phone and types that one; so does the test, once.
                time.sleep(totp.interval - time.time() % totp.interval + 0.5)
                response = self.post(step, {"code": totp.now()}, label="login")
            if response.status != 302 or "/accounts/" in response.location:
                return f"second factor of {email}: {response.status} {response.location}"
        return None


def _multipart(fields, files):
    boundary = uuid.uuid4().hex
    lines = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            lines += [
                f"--{boundary}".encode(),
                f'Content-Disposition: form-data; name="{name}"'.encode(),
                b"",
                str(item).encode(),
            ]
    for name, (filename, content, mime) in files.items():
        lines += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{name}"; filename="{filename}"'.encode(),
            f"Content-Type: {mime}".encode(),
            b"",
            content,
        ]
    lines += [f"--{boundary}--".encode(), b""]
    return b"\r\n".join(lines), f"multipart/form-data; boundary={boundary}"
