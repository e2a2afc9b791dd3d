"""The metrics endpoint and the per-view request metrics, in one middleware at the top of
the stack: the endpoint answers before sessions, HTTPS redirect or login are involved (a
scraper on the hosting network speaks plain HTTP to the container), and the timing covers
everything below it."""

import time

from django.conf import settings
from django.http import HttpResponse

from . import access
from .exposition import CONTENT_TYPE_LATEST, exposition
from .instruments import REQUEST_LATENCY, REQUESTS

__all__ = ["METHODS", "MetricsMiddleware", "view_label"]

# Any other method is counted as "other": a label must not take values a caller invents.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def view_label(request):
    """The route name (``incidents:case``), never the path: paths carry ids and tokens."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or "unnamed"
    if settings.STATIC_URL and request.path_info.startswith(settings.STATIC_URL):
        return "static"
    return "unresolved"


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == settings.METRICS_PATH and access.allowed(request.META):
            response = HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
            response["Cache-Control"] = "no-store"
            return response
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        view = view_label(request)
        method = request.method if request.method in METHODS else "other"
        REQUESTS.labels(view=view, method=method, status=str(response.status_code)).inc()
        REQUEST_LATENCY.labels(view=view, method=method).observe(elapsed)
        return response
