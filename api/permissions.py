from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

__all__ = ["ClientHasScopes"]


class ClientHasScopes(BasePermission):
    """The view's ``required_scopes`` (per method: ``{"GET": [...], "PATCH": [...]}``) are
    all granted to the token and to the client."""

    message = _("Deze koppeling heeft niet het recht voor deze handeling.")

    def has_permission(self, request, view):
        client = getattr(request, "api_client", None)
        token = request.auth
        if client is None or token is None:
            return False
        needed = view.required_scopes.get(request.method, ())
        granted = set(token.scope.split()) & set(client.scopes)
        return all(scope in granted for scope in needed)
