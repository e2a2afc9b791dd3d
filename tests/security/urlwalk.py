"""Every URL of the portal as a concrete path, for tests that must cover all of them."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

SAMPLE = {
    "int": "1",
    "uuid": "00000000-0000-0000-0000-000000000001",
    "str": "x",
    "slug": "x",
    "path": "x",
}


def _fill(route):
    route = re.sub(r"<(\w+):(\w+)>", lambda m: SAMPLE.get(m.group(1), "1"), route)
    return re.sub(r"<\w+>", "x", route)


def walk(patterns=None, prefix=""):
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            route = _fill(prefix + str(entry.pattern))
            route = route.lstrip("^").rstrip("$").replace("\\Z", "")
            if re.search(r"[()\[\]?*+\\]", route):
                continue  # admin regex internals
            yield "/" + route


def all_paths():
    return sorted(set(walk()))


# Pages anyone may open without logging in: they show no one's data.
PUBLIC_PREFIXES = (
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/confirm-email/",
    "/accounts/2fa/authenticate/",
    "/accounts/2fa/webauthn/login/",
    "/accounts/inactive/",
    "/accounts/signup/",
    "/accounts/3rdparty/",
    "/accounts/login/code/",
    "/accounts/logout/",
    "/uitnodiging/",
    # Asking for an account (the griffier's screens are /toegangsaanvragen/, not public).
    "/toegang-aanvragen/",
    "/toegankelijkheid/",
    "/privacy/",
    "/health/",
    # The push service worker's script: static code, no data (scope / needs it at the root).
    "/push-sw.js",
    "/i18n/",
    "/static/",
    # The API's description (API Design Rules: public) and its documentation page.
    "/api/v1/openapi.json",
    "/api/v1/docs/",
)
