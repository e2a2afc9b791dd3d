"""Errors as problem details (RFC 9457, ``application/problem+json``), in the language of
the request's ``Accept-Language`` (Dutch unless English is asked for), as the API Design
Rules ask. DRF's exceptions come through ``exception_handler``; anything Django answers
itself under /api/ (an unknown path, a server error) through ``ApiMiddleware``."""

import json

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

__all__ = ["PROBLEM_JSON", "exception_handler", "problem_response", "title_for"]

PROBLEM_JSON = "application/problem+json"


def title_for(status):
    return {
        400: _("Ongeldig verzoek"),
        401: _("Niet aangemeld"),
        403: _("Geen toegang"),
        404: _("Niet gevonden"),
        405: _("Methode niet toegestaan"),
        406: _("Formaat niet beschikbaar"),
        415: _("Formaat niet ondersteund"),
        429: _("Te veel verzoeken"),
        500: _("Interne fout"),
        503: _("Tijdelijk niet beschikbaar"),
    }.get(status, _("Fout"))


def _detail_for(exc, status):
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return _("Stuur een geldig toegangstoken mee (Authorization: Bearer ...).")
    if isinstance(exc, exceptions.NotFound | Http404):
        return _("Dit object bestaat niet of u heeft er geen toegang toe.")
    if isinstance(exc, exceptions.Throttled):
        return _("Probeer het over %(seconds)s seconden opnieuw.") % {"seconds": int(exc.wait or 1)}
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _("Deze methode is hier niet toegestaan.")
    if isinstance(exc, exceptions.ValidationError):
        return _("Een of meer velden zijn niet goed ingevuld.")
    if isinstance(exc, exceptions.PermissionDenied | PermissionDenied):
        return _("Deze koppeling heeft niet het recht voor deze handeling.")
    detail = getattr(exc, "detail", None)
    return str(detail) if isinstance(detail, str) else str(title_for(status))


def _invalid_params(detail, prefix=""):
    """Flatten DRF's validation errors into ``invalidParams`` (name, code, reason)."""
    found = []
    if isinstance(detail, dict):
        for name, value in detail.items():
            found += _invalid_params(value, f"{prefix}.{name}" if prefix else str(name))
    elif isinstance(detail, list):
        for item in detail:
            found += _invalid_params(item, prefix)
    else:
        found.append(
            {
                "name": prefix or "nonFieldErrors",
                "code": getattr(detail, "code", ""),
                "reason": str(detail),
            }
        )
    return found


def problem(status, *, detail, instance="", **extra):
    body = {
        "type": f"https://www.rfc-editor.org/rfc/rfc9110#status.{status}",
        "title": str(title_for(status)),
        "status": status,
        "detail": str(detail),
    }
    if instance:
        body["instance"] = instance
    body.update(extra)
    return body


def exception_handler(exc, context):
    response = drf_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    extra = {}
    if isinstance(exc, exceptions.ValidationError):
        extra["invalidParams"] = _invalid_params(exc.detail)
    body = problem(
        response.status_code,
        detail=_detail_for(exc, response.status_code),
        instance=request.path if request is not None else "",
        **extra,
    )
    problem_resp = Response(body, status=response.status_code, content_type=PROBLEM_JSON)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            problem_resp[header] = response[header]
    return problem_resp


def problem_response(status, *, instance=""):
    """A problem response outside DRF (the middleware's)."""
    detail = _("Dit object bestaat niet of u heeft er geen toegang toe.") if status == 404 else ""
    body = problem(status, detail=detail or title_for(status), instance=instance)
    return HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_JSON)
