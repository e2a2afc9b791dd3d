"""Debian's headless Chromium as the benchmark's phone measurement and the browser tests
(``tests/e2e``) launch it: one list of arguments for both, so a flag that changes what a
page costs (background networking, component updates) is the same in a test and in a
measurement. The tests import this module; production code never does."""

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "launch"]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    # As root in a container or on CI, Chromium's own sandbox cannot start.
    "--no-sandbox",
    "--disable-gpu",
    # No requests of the browser's own during a test or a measurement.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch(playwright):
    """A headless Chromium from a Playwright instance (sync API)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
