"""For everything under /api/: the language from ``Accept-Language`` (the portal's pages
follow the language switch instead, but a system has no switch), the ``API-Version``
header on every response, and problem details for what Django answers itself."""

from django.utils import translation

from .constants import API_VERSION
from .problems import PROBLEM_JSON, problem_response

__all__ = ["ApiMiddleware"]

PREFIX = "/api/"
JSON_TYPES = ("application/json", PROBLEM_JSON, "application/vnd.oai.openapi+json")


def _language(request):
    accepted = request.headers.get("Accept-Language", "")
    for part in accepted.split(","):
        code = part.split(";")[0].strip().lower()
        if code.startswith("en"):
            return "en"
        if code.startswith("nl"):
            return "nl"
    return "nl"


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        language = _language(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
            content_type = response.get("Content-Type", "").split(";")[0]
            if response.status_code >= 400 and content_type not in JSON_TYPES:
                response = problem_response(response.status_code, instance=request.path)
        response["API-Version"] = API_VERSION
        response["Content-Language"] = language
        response.headers.setdefault("Vary", "Accept-Language")
        return response
