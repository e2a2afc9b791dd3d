"""Browser-test harness: Playwright (sync API) driving Debian's headless Chromium against
pytest-django's ``live_server``.

Every test in this folder is marked ``e2e`` automatically. Use
``@pytest.mark.django_db(transaction=True)`` with ``live_server`` so the server thread sees
the test's data."""

import os

import pytest
from playwright.sync_api import sync_playwright

from perf.browser import launch

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the
# ORM calls the tests make between browser steps.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def _stylesheet_inline_on_first_visit(settings):
    """As in production: a browser without the stylesheet's cookie gets it inline."""
    settings.STYLESHEET_INLINE_ON_FIRST_VISIT = True


@pytest.fixture(scope="session")
def playwright_instance():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = launch(playwright_instance)
    yield browser
    browser.close()


def _new_page(browser, viewport, **options):
    context = browser.new_context(viewport=viewport, locale="nl-NL", **options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    return context, page


@pytest.fixture
def page(browser):
    """A page in a fresh browser context (own cookies) at 1280 × 800."""
    context, page = _new_page(browser, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def mobile_page(browser):
    """A page in a fresh browser context at 360 × 740, as on a small phone."""
    context, page = _new_page(browser, MOBILE, is_mobile=True, has_touch=True)
    yield page
    context.close()
