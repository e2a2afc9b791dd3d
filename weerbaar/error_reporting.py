"""Errors to a Sentry-compatible service (Sentry, GlitchTip), when ``SENTRY_DSN`` is set.

What the portal holds is exactly what must not leave it, so an event carries the error's
type, its first line, the stack (file, function, line, source) and the request's method and
path (secret routes redacted as in the logs, no query string), and nothing else: no request
body, cookies, headers, local variables, user, log record extras or Celery task arguments.
``send_default_pii`` is off as well, but the scrubbing below does not rely on it: an
allowlist keeps a new integration's field from slipping through.

An error's later lines are dropped because database errors quote row values there
(PostgreSQL's ``DETAIL: Key (...)=(...)``), which may be a melding's content."""

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration

__all__ = ["init", "scrub"]

MAX_TEXT = 200
# Breadcrumb and log fields kept; everything else is dropped.
BREADCRUMB_FIELDS = ("type", "category", "level", "timestamp", "message")


def _first_line(text):
    lines = str(text or "").strip().splitlines()
    return _redact(lines[0][:MAX_TEXT]) if lines else ""


def _redact(text):
    from .redaction import redact_text

    return redact_text(text)


def _request(request):
    url = (request.get("url") or "").split("?", 1)[0].split("#", 1)[0]
    return {"method": request.get("method", ""), "url": _redact(url)}


def _stacktrace(stacktrace):
    for frame in (stacktrace or {}).get("frames") or ():
        frame.pop("vars", None)


def _breadcrumbs(crumbs):
    values = crumbs.get("values", []) if isinstance(crumbs, dict) else crumbs or []
    kept = [
        {
            **{field: crumb[field] for field in BREADCRUMB_FIELDS if field in crumb},
            "message": _first_line(crumb.get("message")),
        }
        for crumb in values
    ]
    return {"values": kept}


def scrub(event, hint=None):
    """``before_send``: the event reduced to what may leave the portal."""
    if "request" in event:
        event["request"] = _request(event["request"])
    for key in ("user", "extra"):
        event.pop(key, None)
    for exception in (event.get("exception") or {}).get("values") or ():
        exception["value"] = _first_line(exception.get("value"))
        _stacktrace(exception.get("stacktrace"))
    for thread in (event.get("threads") or {}).get("values") or ():
        _stacktrace(thread.get("stacktrace"))
    if "logentry" in event:
        event["logentry"] = {"message": _first_line(event["logentry"].get("message"))}
    if "message" in event:
        event["message"] = _first_line(event["message"])
    if "breadcrumbs" in event:
        event["breadcrumbs"] = _breadcrumbs(event["breadcrumbs"])
    contexts = event.get("contexts") or {}
    event["contexts"] = {
        name: value for name, value in contexts.items() if name in ("trace", "runtime", "os")
    }
    for span in event.get("spans") or ():
        span.pop("data", None)
        span["description"] = _first_line(span.get("description"))
    return event


def init(dsn, *, environment, traces_sample_rate=0.0):
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        before_send=scrub,
        before_send_transaction=scrub,
        integrations=[
            # Transactions by route pattern ("/meldingen/<int:pk>/"), never the path.
            DjangoIntegration(transaction_style="url"),
            CeleryIntegration(),
            LoggingIntegration(event_level=None),
        ],
    )
