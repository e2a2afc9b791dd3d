"""Helpers for browser tests: log in through the real forms, check accessibility with
axe-core, watch the console for Content-Security-Policy violations, and tell whether this
run keeps its screenshots in docs/, and compare two screenshots of a page pixel by pixel."""

import io
import json
import os
import time
from functools import cache
from pathlib import Path

import pyotp
from PIL import Image, ImageChops

AXE_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

__all__ = [
    "DOCS",
    "ConsoleWatcher",
    "assert_accessible",
    "axe_violations",
    "differing_pixels",
    "full_screenshot",
    "keeps_screenshots",
    "login",
    "watch_console",
]

DOCS = Path(__file__).resolve().parents[2] / "docs"


def keeps_screenshots():
    """Whether this run writes the screenshots kept in docs/ (``WB_SCREENSHOTS=1``, when
    the pages changed on purpose). The images are tracked: a plain test run must leave a
    clean clone clean."""
    return bool(os.environ.get("WB_SCREENSHOTS"))


def login(page, base_url, email, password, totp_secret=None):
    """Sign in with allauth's login form; when the second step appears, enter the current
    TOTP code. Returns once the landing page after login has loaded."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form.wb-form button[type=submit]")
    if "/accounts/2fa/authenticate" in page.url:
        if totp_secret is None:
            raise AssertionError("login asks for a second factor but no totp_secret was given")
        totp = pyotp.TOTP(totp_secret)
        for attempt in range(2):
            if attempt:
                # The code was refused: it changed at a period boundary or was already used
                # in this period (one-time use). Wait for the next period's code.
                time.sleep(totp.interval - time.time() % totp.interval + 1)
            page.fill("input[name=code]", totp.now())
            with page.expect_navigation():
                page.click("form.wb-form button[type=submit]")
            if "/accounts/2fa/authenticate" not in page.url:
                break
    if "/accounts/login/" in page.url:
        raise AssertionError(f"login failed for {email}: still on {page.url}")
    page.wait_for_load_state("load")
    return page


def assert_accessible(page, context=None):
    """Run axe-core on the page for WCAG 2.1 A and AA and fail with a readable list of the
    violations. ``context`` is an optional CSS selector to limit the check.

    The script is injected with ``page.evaluate``, which the page's CSP does not govern."""
    result = axe_violations(page, WCAG_21_AA, context)
    if result:
        lines = [
            f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["targets"])
            for v in result
        ]
        raise AssertionError(
            f"axe found {len(result)} WCAG 2.1 AA violation(s) on {page.url}:\n" + "\n".join(lines)
        )


@cache
def _axe_source():
    return AXE_SOURCE.read_text()


def axe_violations(page, tags, context=None):
    """axe-core's violations on the page as it is now, for the rule ``tags``: a list of
    ``{id, impact, help, targets}``. axe is injected once per document."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    return page.evaluate(
        """async ([context, tags]) => {
            const r = await axe.run(context ? document.querySelector(context) : document,
                                    {runOnly: {type: 'tag', values: tags},
                                     resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(' ')).slice(0, 10),
            }));
        }""",
        [context, tags],
    )


class ConsoleWatcher:
    """Console errors and CSP violations seen by a page since it started watching."""

    def __init__(self, page):
        self.errors = []
        self.csp_violations = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        # securitypolicyviolation events reach the console only as messages; listen to the
        # DOM event too so a violation is never missed.
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => console.error("
            "'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
        )

    def _on_console(self, message):
        if message.type != "error":
            return
        text = message.text
        if "Content Security Policy" in text or text.startswith("CSP violation"):
            self.csp_violations.append(text)
        else:
            self.errors.append(text)

    def assert_clean(self):
        problems = self.csp_violations + self.errors
        assert not problems, "console errors:\n" + json.dumps(problems, indent=2)


def watch_console(page):
    """Start collecting console errors and CSP violations for ``page``."""
    return ConsoleWatcher(page)


def full_screenshot(page, url):
    """``url`` loaded, its fonts in, the whole page as an RGB image (animations off, no
    caret): for comparing two ways of building the same page pixel by pixel."""
    page.goto(url)
    page.evaluate("document.fonts.ready")
    shot = page.screenshot(full_page=True, animations="disabled", caret="hide")
    return Image.open(io.BytesIO(shot)).convert("RGB")


def differing_pixels(before, after):
    """How many pixels of two screenshots differ; the two sizes when they do not match."""
    if before.size != after.size:
        return before.size, after.size
    return sum(ImageChops.difference(before, after).convert("L").histogram()[1:])
