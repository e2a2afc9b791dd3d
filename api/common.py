"""What every resource of the API shares: the client's scoped queryset or none for the
schema generator, the audit line per sensitive record read (attributed to the client), and
the 404 for an object outside the client's scope (the same answer as for one that does not
exist, with the attempt audited as ``weerbaar.access.get_visible_or_404`` does)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework.exceptions import NotFound

from weerbaar import audit
from weerbaar.constants import AuditAction

__all__ = [
    "ERRORS",
    "PROBLEM",
    "AuditedDetail",
    "AuditedList",
    "audit_views",
    "client_of",
    "has_scope",
    "visible_or_404",
]

PROBLEM = OpenApiResponse(description=_("Probleem (RFC 9457, application/problem+json)"))
ERRORS = {401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 429: PROBLEM}


def client_of(request):
    """The API client of the request; ``None`` for the schema generator's stand-in."""
    return getattr(request, "api_client", None) if request is not None else None


def has_scope(request, scope):
    """Granted to this token and (still) held by the client."""
    client = client_of(request)
    return (
        client is not None
        and request.auth is not None
        and scope in request.auth.scope.split()
        and client.has_scope(scope)
    )


def audit_views(request, objects, *, organisation_id, **detail):
    """One view line per record read, in one statement, as a page view writes one.
    ``organisation_id(obj)``: whose record it is (the audit's organisation column)."""
    client = request.api_client
    audit.record_many(
        [
            audit.event(
                AuditAction.VIEW,
                actor=request.user,
                obj=obj,
                request=request,
                organisation_id=organisation_id(obj),
                api_client=client.pk,
                **detail,
            )
            for obj in objects
        ]
    )


def visible_or_404(request, queryset, **lookup):
    """The object of ``queryset`` (already scoped to the client) or 404; a guessed id of an
    object that exists outside the scope is audited as an access denied to the client."""
    found = queryset.filter(**lookup).first()
    if found is None:
        model = queryset.model
        denied = model._default_manager.filter(**lookup).only("pk").first()
        if denied is not None:
            audit.record(
                AuditAction.ACCESS_DENIED,
                actor=request.user,
                obj=denied,
                request=request,
                api_client=request.api_client.pk,
            )
        raise NotFound
    return found


class AuditedList:
    """A list view whose every page is audited as views by the client. The view names whose
    each record is: ``audit_organisation = staticmethod(lambda obj: …)``."""

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page:
            audit_views(self.request, page, organisation_id=self.audit_organisation)
        return page


class AuditedDetail:
    """A detail view of one record in the client's scope (404 outside it), audited."""

    def get_object(self):
        found = visible_or_404(self.request, self.get_queryset(), pk=self.kwargs["pk"])
        audit_views(self.request, [found], organisation_id=self.audit_organisation)
        return found
