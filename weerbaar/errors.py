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

__all__ = ["RETRY_AFTER_SECONDS", "server_error"]

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
