"""Secrets in URLs never reach a log line.

Some URLs are themselves the key to an account or a calendar: an invitation
(``/uitnodiging/<token>/``), allauth's password-reset link
(``…/password/reset/key/<uidb36>-<key>/``) and e-mail confirmation, a trainer's iCal feed
(``/otwb/agenda/<token>.ics``). Whoever reads the access log could use them. Which routes
those are is not kept in a list of its own: it is read from the URLconf, every route with a
captured argument named in ``SECRET_URL_KWARGS``, so a new route with a ``<str:token>`` is
covered the day it is added.

Everything after the literal part of such a route (``/uitnodiging/``) is replaced by
``REDACTED`` wherever it appears in a line (the request line, the Referer, Django's
"Internal Server Error: /…" or CSRF messages), also when the rest does not match the route
(a mistyped token is still a token). Literal routes that share the prefix
(``…/password/reset/key/done/``) stay readable. Query strings are dropped from every path,
whatever the route: they carry search terms and ``next=`` paths, and nobody debugs from them.

The rules are built on first use, once Django's apps are loaded; before that (gunicorn's
master starting up) only query strings are dropped, as no request has been served yet."""

import logging
import re
from functools import lru_cache

from django.apps import apps
from django.urls import URLResolver, get_resolver

__all__ = ["REDACTED", "SECRET_URL_KWARGS", "RedactSecrets", "redact_text", "secret_prefixes"]

# Captured URL arguments that are bearer secrets.
SECRET_URL_KWARGS = frozenset({"token", "key"})
REDACTED = "[weggelaten]"

_STOP = "\\s\"'<>?#"
# A path (from its first slash) followed by a query string: keep the path only.
_QUERY = re.compile(rf"(/[^{_STOP}]*)\?[^\s\"'<>#]*")
_UNESCAPE = re.compile(r"\\(.)")


def _routes(patterns, prefix=""):
    """(regex source without anchors, group names) of every endpoint of the URLconf."""
    for entry in patterns:
        regex = entry.pattern.regex
        source = prefix + regex.pattern.removeprefix("^")
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, source)
        else:
            yield source.removesuffix(r"\Z").removesuffix("$"), set(regex.groupindex)


def _literal_part(source):
    """The route up to its first group, unescaped (``uitnodiging/``)."""
    return _UNESCAPE.sub(r"\1", source.split("(", 1)[0])


@lru_cache(maxsize=1)
def secret_prefixes():
    """{literal prefix: literal routes that continue it} of every route with a secret."""
    routes = list(_routes(get_resolver().url_patterns))
    literals = {_literal_part(source) for source, groups in routes if "(" not in source}
    prefixes = {}
    for source, groups in routes:
        if groups & SECRET_URL_KWARGS:
            prefix = _literal_part(source)
            siblings = sorted(lit[len(prefix) :] for lit in literals if lit.startswith(prefix))
            prefixes[prefix] = [s for s in siblings if s]
    return prefixes


@lru_cache(maxsize=1)
def _secret_pattern():
    """One regex matching the secret rest of a path after any secret route's prefix."""
    alternatives = []
    for prefix, siblings in sorted(secret_prefixes().items()):
        keep = "".join(f"(?!{re.escape(s)}(?:[{_STOP}]|$))" for s in siblings)
        alternatives.append(f"(?<=/{re.escape(prefix)}){keep}[^{_STOP}]+")
    return re.compile("|".join(alternatives)) if alternatives else None


def redact_text(text):
    """``text`` with the query string of every path dropped and every URL secret replaced."""
    if "/" not in text:
        return text
    text = _QUERY.sub(r"\1", text)
    pattern = _secret_pattern() if apps.ready else None
    return pattern.sub(REDACTED, text) if pattern else text


class RedactSecrets(logging.Filter):
    """A logging filter for handlers and loggers that write request paths (gunicorn's access
    and error logs, ``django.server``, ``django.request``, ``django.security``): the record's
    message is formatted once, redacted, and kept without its arguments."""

    def filter(self, record):
        if isinstance(record.msg, dict):  # a structlog event: the JSON formatter redacts it
            return True
        message = record.getMessage()
        redacted = redact_text(message)
        if redacted != message or record.args:
            record.msg, record.args = redacted, ()
        return True
