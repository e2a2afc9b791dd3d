"""The browser of the compose smoke test (scripts/compose_smoke.sh): HTTPS through the proxy
only, the certificate checked against the root of Caddy's internal CA, cookies kept as a
browser keeps them. Standard library only.

    client.py wait BASE CAFILE SECONDS          until GET /health/ answers 200 through the proxy
    client.py redirect HTTP_BASE                plain HTTP answers with a redirect to HTTPS
    client.py file BASE CAFILE EMAIL PASSWORD   sign in, file a melding; prints its number
    client.py get BASE CAFILE PATH N            N GETs of PATH (each must answer 200)

Exit code 0 when it did what it says, 1 with the reason on stderr when not."""

import http.cookiejar
import re
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from html import unescape

DESCRIPTION = "Rookproef: na de raadsvergadering stond er iemand bij mijn auto."


class Browser:
    def __init__(self, base, cafile):
        self.base = base.rstrip("/")
        context = ssl.create_default_context(cafile=cafile)
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context),
            urllib.request.HTTPCookieProcessor(self.jar),
        )

    def request(self, path, data=None):
        """(status, final URL, body) of a GET, or of a form POST when ``data`` is given."""
        url = self.base + path
        headers = {"User-Agent": "weerbaar-compose-smoke"}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            headers["Origin"] = self.base
            headers["Referer"] = url
        request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 (https)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, url, error.read().decode(errors="replace")

    def form(self, path):
        """The hidden fields (CSRF token included) of the page's form with method post."""
        status, _url, html = self.request(path)
        if status != 200:
            raise SystemExit(f"GET {path}: {status}")
        fields = {}
        for tag in re.findall(r"<input\b[^>]*>", html):
            if 'type="hidden"' not in tag:
                continue
            name = re.search(r'name="([^"]+)"', tag)
            value = re.search(r'value="([^"]*)"', tag)
            if name:
                fields[name.group(1)] = unescape(value.group(1)) if value else ""
        if "csrfmiddlewaretoken" not in fields:
            raise SystemExit(f"GET {path}: no CSRF token in the form")
        return fields


def wait(base, cafile, seconds):
    deadline = time.monotonic() + float(seconds)
    last = ""
    while time.monotonic() < deadline:
        try:
            status, _url, body = Browser(base, cafile).request("/health/")
            if status == 200:
                print(body)
                return 0
            last = f"{status} {body[:200]}"
        except (OSError, ssl.SSLError) as error:
            last = repr(error)
        time.sleep(2)
    print(f"the proxy did not answer /health/ with 200 within {seconds} s: {last}", file=sys.stderr)
    return 1


def redirect(http_base):
    url = http_base.rstrip("/") + "/accounts/login/"
    request = urllib.request.Request(url, method="GET")  # noqa: S310 (our own http URL)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(request, timeout=10)
    except urllib.error.HTTPError as error:
        location = error.headers.get("Location", "")
        if error.code in (301, 302, 307, 308) and location.startswith("https://"):
            print(f"{error.code} -> {location}")
            return 0
        print(f"plain HTTP answered {error.code} {location!r}", file=sys.stderr)
        return 1
    print("plain HTTP served the page instead of redirecting to HTTPS", file=sys.stderr)
    return 1


def file_melding(base, cafile, email, password):
    browser = Browser(base, cafile)
    fields = browser.form("/accounts/login/")
    status, url, html = browser.request(
        "/accounts/login/", {**fields, "login": email, "password": password}
    )
    if status != 200 or urllib.parse.urlparse(url).path.startswith("/accounts/login"):
        print(f"sign-in failed: {status} at {url}", file=sys.stderr)
        return 1
    cookies = {cookie.name: cookie for cookie in browser.jar}
    session = [c for name, c in cookies.items() if "session" in name]
    if not session or not all(c.secure for c in session):
        print(f"no Secure session cookie after sign-in: {sorted(cookies)}", file=sys.stderr)
        return 1
    fields = browser.form("/meldingen/nieuw/")
    occurred = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    data = {
        **fields,
        "occurred_at": occurred,
        "place": "online",
        "channel": "social",
        "categories": ["threat", "online"],
        "description": DESCRIPTION,
        "perpetrator": "unknown",
        "perpetrator_details": "",
        "witnesses": "",
        "help_wanted": ["talk", "aangifte"],
        "action": "send",
    }
    status, url, html = browser.request("/meldingen/nieuw/", data)
    found = re.search(r"/meldingen/(\d+)/verstuurd/", url)
    if status != 200 or not found:
        errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]{3,200})', html)
        print(f"filing failed: {status} at {url}; {errors[:5]}", file=sys.stderr)
        return 1
    print(found.group(1))
    return 0


def get(base, cafile, path, count):
    browser = Browser(base, cafile)
    for _ in range(int(count)):
        status, _url, _body = browser.request(path)
        if status != 200:
            print(f"GET {path}: {status}", file=sys.stderr)
            return 1
    return 0


COMMANDS = {"wait": wait, "redirect": redirect, "file": file_melding, "get": get}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        raise SystemExit(__doc__)
    sys.exit(COMMANDS[sys.argv[1]](*sys.argv[2:]))
