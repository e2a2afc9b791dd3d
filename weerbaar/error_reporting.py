"""Errors to a Sentry-compatible service (Sentry, GlitchTip), when ``SENTRY_DSN`` is set.

What the portal holds is exactly what must not leave it, so an event carries the error's
type, its first line, the stack (file, function, line, source) and the request's method and
path (secret routes redacted as in the logs, no query string), breadcrumbs as kind and time,
and nothing else: no request body, cookies, headers, local variables, user, log record
extras, Celery task arguments, or breadcrumb and span text.
``send_default_pii`` is off as well, but the scrubbing below does not rely on it: an
allowlist keeps a new integration's field from slipping through.

An error's later lines are dropped because database errors quote row values there
(PostgreSQL's ``DETAIL: Key (...)=(...)``), which may be a melding's content."""

import warnings

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration

__all__ = ["init", "scrub"]

MAX_TEXT = 200
# Breadcrumb fields kept: what kind of thing happened when. Never the message: a cache
# breadcrumb names its key (a session's key is the session), a query's may quote values.
BREADCRUMB_FIELDS = ("type", "category", "level", "timestamp")
# Span fields kept (tracing, when SENTRY_TRACES_SAMPLE_RATE is above 0): the same reasons.
SPAN_FIELDS = (
    "op",
    "span_id",
    "parent_span_id",
    "trace_id",
    "start_timestamp",
    "timestamp",
    "status",
    "same_process_as_parent",
    "origin",
)


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
    return {
        "values": [
            {field: crumb[field] for field in BREADCRUMB_FIELDS if field in crumb}
            for crumb in values
        ]
    }


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
    if "spans" in event:
        event["spans"] = [
            {field: span[field] for field in SPAN_FIELDS if field in span}
            for span in event["spans"] or ()
        ]
    trace = event["contexts"].get("trace")
    if isinstance(trace, dict):
        event["contexts"]["trace"] = {
            field: trace[field] for field in SPAN_FIELDS if field in trace
        }
    return event


# Everything an integration might collect by itself, off (the SDK's ``data_collection``,
# which supersedes ``send_default_pii``; both are given, and agree).
DATA_COLLECTION = {
    "user_info": False,
    "cookies": {"mode": "off"},
    "http_headers": {"request": {"mode": "off"}},
    "http_bodies": [],
    "url_query_params": {"mode": "off"},
    "database_query_data": False,
    "queues": False,
    "stack_frame_variables": False,
    "gen_ai": {"inputs": False, "outputs": False},
}


def init(dsn, *, environment, traces_sample_rate=0.0):
    with warnings.catch_warnings():
        # "send_default_pii is deprecated and ignored when data_collection is set": it is
        # set anyway, so that an older SDK (which knows only it) is just as closed.
        warnings.filterwarnings("ignore", ".*send_default_pii", DeprecationWarning)
        return _init(dsn, environment=environment, traces_sample_rate=traces_sample_rate)


def _init(dsn, *, environment, traces_sample_rate):
    return sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        send_default_pii=False,
        data_collection=DATA_COLLECTION,
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
