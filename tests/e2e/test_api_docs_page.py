"""The API documentation page: Swagger UI from the portal's own static files runs under the
strict CSP (no inline script, no CDN) and passes WCAG 2.1 A/AA. Swagger UI's own markup
still breaks two axe best-practice rules (its title is an h1 followed by h3 operation
groups, and its info block sits outside its <main>), which is why the all-pages walk does
not follow the link to it."""

import pytest

from .helpers import axe_violations, watch_console

pytestmark = pytest.mark.django_db(transaction=True)

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def test_documentation_page_shows_every_operation_without_csp_violations(live_server, page):
    console = watch_console(page)
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".opblock")
    schema = page.request.get(f"{live_server.url}/api/v1/openapi.json").json()
    methods = {"get", "put", "post", "patch", "delete"}
    operations = sum(1 for item in schema["paths"].values() for method in item if method in methods)
    assert operations >= 20
    assert page.locator(".opblock").count() == operations
    assert page.locator(".opblock-summary-path").first.inner_text() == "/meldingen"
    assert axe_violations(page, WCAG) == []
    console.assert_clean()
