"""ASVS V14: data protection — no caching of authenticated pages."""

from weerbaar.constants import Role

from .urlwalk import all_paths


def test_14_3_2_no_store_on_every_authenticated_response(gemeente_a, user_factory, client_for):
    client = client_for(user_factory(Role.GRIFFIER, gemeente_a))
    checked = 0
    for path in all_paths():
        if path.startswith(("/static/", "/accounts/logout/")):
            continue
        response = client.get(path)
        assert "no-store" in response["Cache-Control"], path
        checked += 1
    assert checked > 40


# Every parameter a route may capture, and why it is no sensitive data. A new route that
# captures anything else (a name, an address, an email) fails the test below.
ROUTE_PARAMETERS = {
    "pk": "a database id",
    "measure_id": "a database id",
    "document_id": "a database id",
    "user_pk": "a database id",
    "org_pk": "a database id",
    "client_pk": "a database id (an API client, for its webhooks)",
    "step_pk": "a database id",
    "kind": "the kind of a letter template (acknowledgement, warning, police)",
    "action": "the name of a workflow step",
    "section": "the name of a follow-up section of the case page (aangifte, nazorg, …)",
    "code": "an organisation's public CBS code (GM0344), the key of the reference data",
    "slug": "admin internals",
    "provider_id": "an identity provider's public slug (SSO configuration, no person)",
    "app_label": "admin internals",
    "content_type_id": "admin internals",
    "object_id": "admin internals",
    "url": "admin internals",
    # One-time secrets that can only travel in an emailed link: allauth moves the password
    # reset key into the session and redirects to a URL without it (test_v6_authentication).
    "key": "one-time email confirmation / password reset key",
    "uidb36": "the account part of a password reset link",
    # Invitation (one-time, expires, stored hashed) and the trainer's iCal feed (a calendar
    # app can only subscribe to a URL; stored hashed, revocable by the trainer), and the
    # signed, expiring link of an OTWB evaluation for a participant without an account.
    "token": "one-time invitation token, revocable iCal feed token or evaluation link",
}


def test_14_2_1_no_route_captures_sensitive_data():
    import re

    from django.urls import URLPattern, URLResolver, get_resolver

    def routes(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from routes(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern)

    captured = set()
    for route in routes(get_resolver().url_patterns):
        captured |= set(re.findall(r"<(?:\w+:)?(\w+)>", route))
        captured |= set(re.findall(r"\(\?P<(\w+)>", route))
    assert captured <= set(ROUTE_PARAMETERS), captured - set(ROUTE_PARAMETERS)


SENSITIVE_INPUT = (
    r"name=\"?(description|perpetrator|witness|home_address|household|phone|"
    r"notes?|body|findings|password\w*|code|email|summary|remarks|reason|urgency_notes)"
)


def test_14_2_1_forms_with_sensitive_fields_are_posted_and_filters_hold_none():
    """Free text goes in the body of a POST; a GET form (a filter) has no field that could
    carry a description, an address, a name or a secret into a URL, a log or a history."""
    import re
    from pathlib import Path

    from django.conf import settings

    templates = list(Path(settings.BASE_DIR, "templates").rglob("*.html"))
    assert len(templates) > 50
    get_forms = 0
    for template in templates:
        text = template.read_text(encoding="utf-8")
        for form in re.findall(r"<form\b.*?</form>", text, flags=re.S | re.I):
            opening = form[: form.index(">") + 1].lower()
            if 'method="get"' in opening:
                get_forms += 1
                assert not re.search(SENSITIVE_INPUT, form), template
            else:
                assert 'method="post"' in opening or "attrs.method" in opening, template
    assert get_forms >= 4


def test_14_2_1_filters_search_only_public_columns():
    """The only free-text filter is on an organisation's (public) name: no filter lets a
    description, a person or an address into a query string."""
    import importlib

    import django_filters

    checked = 0
    for app in ("incidents", "veiligwonen", "otwb", "monitor"):
        module = importlib.import_module(f"{app}.filters")
        for value in vars(module).values():
            if not (
                isinstance(value, type)
                and issubclass(value, django_filters.FilterSet)
                and value.__module__ == module.__name__
            ):
                continue
            for name, flt in value.base_filters.items():
                checked += 1
                if isinstance(flt, django_filters.CharFilter):
                    assert flt.field_name.startswith("organisation__"), (value, name)
    assert checked >= 15
