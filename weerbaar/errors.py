"""The portal's answer when a request fails on our side (``handler500``).

A lost database connection (PostgreSQL restarted, a failover, a backend terminated) is not
a bug in the page: the same request succeeds a moment later, once Django has reconnected.
So it gets status 503 with ``Retry-After`` and a Dutch "probeer het opnieuw" page, not the
500 page. When the request was a form, the page carries what the user sent (except
passwords and codes) in hidden fields with one button that sends it again, so nothing typed
is lost whatever the browser keeps on "back"; forms that create something carry a key that
makes sending twice file once (``incidents`` filing). Uploaded files cannot be carried over.

Both pages are rendered without the database, the request context or the session."""

import sys

from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.http.multipartparser import MultiPartParserError
from django.template import loader
from django.views import defaults

__all__ = ["RETRY_AFTER_SECONDS", "bad_request", "server_error"]

RETRY_AFTER_SECONDS = 5
TRANSIENT = (OperationalError, InterfaceError)
# Never written into a page, not even back to the person who typed them.
NOT_CARRIED = {"password", "password1", "password2", "oldpassword", "code", "token"}


def _carried_fields(request):
    """(fields, whether files were sent) of the form the failed request sent."""
    if request.method != "POST":
        return [], False
    try:
        post, files = request.POST, request.FILES
    except (SuspiciousOperation, MultiPartParserError, OSError):
        return [], False  # a body Django could not read has nothing to carry
    fields = [
        (name, value)
        for name, values in post.lists()
        if name.lower() not in NOT_CARRIED
        for value in values
    ]
    return fields, bool(files)


def unavailable(request):
    fields, had_files = _carried_fields(request)
    page = loader.get_template("503.html").render(
        {"fields": fields, "action": request.get_full_path(), "had_files": had_files}
    )
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store, private"
    return response


def server_error(request):
    """Django's ``handler500``, called inside the ``except`` of the failed request."""
    if isinstance(sys.exc_info()[1], TRANSIENT):
        return unavailable(request)
    return HttpResponseServerError(loader.get_template("500.html").render())


def _caused_by_lost_connection(exception):
    """Whether a lost database connection lies behind ``exception`` (its chain of causes)."""
    seen = 0
    while exception is not None and seen < 10:
        if isinstance(exception, TRANSIENT):
            return True
        exception = exception.__cause__ or exception.__context__
        seen += 1
    return False


def bad_request(request, exception):
    """Django's ``handler400``. Django answers a session it could not save with a 400
    ("session interrupted"); when the database connection was lost while saving it, the
    request itself may have done its work (a melding filed) and a retry is what helps: the
    503 page, as for any other lost connection."""
    if _caused_by_lost_connection(exception):
        return unavailable(request)
    return defaults.bad_request(request, exception)
