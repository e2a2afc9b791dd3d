from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404

from ..access import is_coordinator


def coordinator_required(view):
    """Planning screens exist only for the coordinator; anyone else gets a 404."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_coordinator(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def refused(request, exc):
    messages.error(request, str(exc))
