"""A slow phone (issue 25 §1): headless Chromium, through the DevTools protocol throttled like
Lighthouse's mobile profile (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, CPU slowed
4×), loading pages from gunicorn with the production settings (whitenoise serving the
collected, fingerprinted, compressed static files).

Each page is loaded on a first visit (a fresh browser context: empty cache, but the person's
session cookie) and then on a repeat visit (a new tab in the same context, so the cache holds
what the first visit kept). Reported per visit: bytes transferred (the sum of
``encodedDataLength``: headers and bodies as they crossed the wire), requests that went to
the network, First Contentful Paint and Largest Contentful Paint (PerformanceObserver,
milliseconds from the start of the navigation). Each visit is made ``runs`` times; the median
run (by LCP) is reported."""

from dataclasses import dataclass

from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from ..browser import launch
from .loadtest import HOST, production_server
from .sessions import end_sessions, session_key_for

__all__ = ["PAGES", "PROFILE", "measure_phone", "table"]

# Lighthouse's mobile profile ("slow 4G"), in the units of Network.emulateNetworkConditions.
PROFILE = {
    "latency_ms": 150,
    "down_bytes_per_s": 1_600_000 / 8,
    "up_bytes_per_s": 750_000 / 8,
    "cpu_slowdown": 4,
}
VIEWPORT = {"width": 360, "height": 740}


@dataclass(frozen=True)
class PhonePage:
    name: str
    actor: str | None  # attribute of Cast; None: not logged in
    url: str  # URL name


PAGES = [
    PhonePage("login page", None, "account_login"),
    PhonePage("start page (raadslid)", "raadslid", "home"),
    PhonePage("melding form", "raadslid", "incidents:new"),
    PhonePage("triage dashboard", "triager", "incidents:dashboard"),
]

# FCP and LCP of the page, read once it has loaded and the network is quiet. LCP entries are
# buffered, so an observer made now still sees them.
_PAINTS = """() => new Promise((resolve) => {
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  const done = (lcp) => resolve({fcp: fcp ? fcp.startTime : null, lcp});
  const timer = setTimeout(() => done(null), 2000);
  new PerformanceObserver((list) => {
    const entries = list.getEntries();
    clearTimeout(timer);
    done(entries[entries.length - 1].startTime);
  }).observe({type: "largest-contentful-paint", buffered: true});
})"""


def _throttled_tab(context):
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": PROFILE["latency_ms"],
            "downloadThroughput": PROFILE["down_bytes_per_s"],
            "uploadThroughput": PROFILE["up_bytes_per_s"],
        },
    )
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": PROFILE["cpu_slowdown"]})
    wire = {"bytes": 0, "requests": 0, "files": []}
    from_cache, urls = set(), {}

    def on_response(event):
        response = event["response"]
        urls[event["requestId"]] = response["url"]
        if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
            from_cache.add(event["requestId"])

    def on_finished(event):
        if event["requestId"] in from_cache:
            return
        wire["bytes"] += event["encodedDataLength"]
        wire["requests"] += 1
        path = urls.get(event["requestId"], "?").split("://", 1)[-1].split("/", 1)[-1]
        wire["files"].append(["/" + path.split("?", 1)[0], round(event["encodedDataLength"])])

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.requestServedFromCache", lambda event: from_cache.add(event["requestId"]))
    cdp.on("Network.loadingFinished", on_finished)
    return page, cdp, wire


def _visit(context, url):
    page, cdp, wire = _throttled_tab(context)
    try:
        response = page.goto(url, wait_until="load")
        if response is None or response.status != 200:
            raise RuntimeError(f"{url}: {response.status if response else 'no response'}")
        page.wait_for_load_state("networkidle")
        paints = page.evaluate(_PAINTS)
        return {
            "bytes": wire["bytes"],
            "requests": wire["requests"],
            "fcp_ms": round(paints["fcp"]) if paints["fcp"] is not None else None,
            "lcp_ms": round(paints["lcp"]) if paints["lcp"] is not None else None,
            # What crossed the wire, file by file (path without query, bytes).
            "files": sorted(wire["files"], key=lambda f: -f[1]),
        }
    finally:
        cdp.detach()
        page.close()


def _median(visits):
    ranked = sorted(visits, key=lambda v: (v["lcp_ms"] or 0, v["bytes"]))
    return ranked[len(ranked) // 2]


def _cookies(session_key, port):
    return [
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": session_key,
            "url": f"http://{HOST}:{port}/",
            "httpOnly": True,
            "sameSite": "Lax",
        }
    ]


def measure_phone(cast, *, runs=3, log=print, server=None):
    """Load each page of ``PAGES`` on a throttled phone, first and repeat visit. ``server``:
    ``(port, secret_key)`` of a running production-like server; without it one is started
    (and stopped). Returns a list of dicts, one per page and visit."""
    from playwright.sync_api import sync_playwright

    if server is None:
        with production_server() as (port, secret_key, _proc):
            return measure_phone(cast, runs=runs, log=log, server=(port, secret_key))
    port, secret_key = server
    base = f"http://{HOST}:{port}"
    keys = {}
    with override_settings(SECRET_KEY=secret_key):
        for page in PAGES:
            if page.actor and page.actor not in keys:
                keys[page.actor] = session_key_for(getattr(cast, page.actor))
    results = []
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                # Warm-up (unthrottled, not measured): every gunicorn worker has served each
                # page once, so the first measured run is not a worker's first request.
                for page in PAGES:
                    context = _context(browser, keys.get(page.actor), port)
                    for _ in range(2):
                        tab = context.new_page()
                        tab.goto(base + reverse(page.url))
                        tab.close()
                    context.close()
                for page in PAGES:
                    first, repeat = [], []
                    for _ in range(runs):
                        context = _context(browser, keys.get(page.actor), port)
                        try:
                            first.append(_visit(context, base + reverse(page.url)))
                            repeat.append(_visit(context, base + reverse(page.url)))
                        finally:
                            context.close()
                    for visit, measured in (("first", first), ("repeat", repeat)):
                        row = {"page": page.name, "visit": visit, **_median(measured)}
                        log(
                            f"  {row['page']}, {visit} visit: {row['bytes'] / 1000:.1f} KB in "
                            f"{row['requests']} requests, FCP {row['fcp_ms']} ms, "
                            f"LCP {row['lcp_ms']} ms"
                        )
                        log(
                            "    "
                            + ", ".join(f"{path} {size / 1000:.1f}" for path, size in row["files"])
                        )
                        results.append(row)
            finally:
                browser.close()
    finally:
        end_sessions(keys.values())
    return results


def _context(browser, session_key, port):
    context = browser.new_context(viewport=VIEWPORT, is_mobile=True, has_touch=True, locale="nl-NL")
    context.set_default_timeout(30_000)
    if session_key:
        context.add_cookies(_cookies(session_key, port))
    return context


def table(results):
    """The phone figures as a Markdown table."""
    lines = [
        f"Phone: {PROFILE['latency_ms']} ms round trip, "
        f"{PROFILE['down_bytes_per_s'] * 8 / 1e6:g} Mbit/s down, "
        f"{PROFILE['up_bytes_per_s'] * 8 / 1e3:g} kbit/s up, CPU slowed "
        f"{PROFILE['cpu_slowdown']}×, {VIEWPORT['width']} px wide",
        "",
        "| page | visit | transferred | requests | FCP | LCP |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for row in results:
        lines.append(
            f"| {row['page']} | {row['visit']} | {row['bytes'] / 1000:.1f} KB | "
            f"{row['requests']} | {row['fcp_ms']} ms | {row['lcp_ms']} ms |"
        )
    return "\n".join(lines)
