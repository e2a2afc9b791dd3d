"""Structured JSON log lines. Only what the code logs explicitly is written: no request
bodies, no form data, no query strings (which may never hold sensitive data anyway).

An exception is written as its formatted traceback (``"exception"``), never as the repr of
a traceback object: without the stack an operator cannot tell where a 500 came from. The
traceback holds code and exception messages, no local variables; PostgreSQL's DETAIL line
(which quotes the row that broke a constraint, an email address for instance) is dropped."""

import re

import structlog

from .redaction import redact_text

__all__ = ["json_formatter", "redact_database_detail", "redact_url_secrets"]

_DETAIL = re.compile(r"^DETAIL: .*$", re.MULTILINE)


def redact_database_detail(logger, method_name, event_dict):
    """Drop the values PostgreSQL quotes in an error's DETAIL line from a traceback."""
    text = event_dict.get("exception")
    if isinstance(text, str) and "DETAIL:" in text:
        event_dict["exception"] = _DETAIL.sub("DETAIL: (weggelaten)", text)
    return event_dict


def redact_url_secrets(logger, method_name, event_dict):
    """Drop query strings and URL secrets (``weerbaar.redaction``) from the message and the
    traceback: an exception raised while serving an invitation link may quote its path."""
    for key in ("event", "exception"):
        value = event_dict.get(key)
        if isinstance(value, str):
            event_dict[key] = redact_text(value)
    return event_dict


def json_formatter():
    return structlog.stdlib.ProcessorFormatter(
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            redact_database_detail,
            redact_url_secrets,
            structlog.processors.JSONRenderer(),
        ],
        foreign_pre_chain=[
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            structlog.processors.TimeStamper(fmt="iso"),
        ],
    )


structlog.configure(
    processors=[
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso"),
        structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
    ],
    logger_factory=structlog.stdlib.LoggerFactory(),
    cache_logger_on_first_use=True,
)
