"""OAuth 2 bearer tokens of active API clients, acting as the client's role.

The token's user is the client's service account. For the length of the request that
account holds exactly one membership — the client's role in its organisation, unsaved — so
``visible_to`` and the services' own checks scope the client as they would a person of that
role, and every timeline and audit line names the client."""

from oauth2_provider.contrib.rest_framework import OAuth2Authentication

from weerbaar.models import Membership

from .constants import ClientStatus
from .models import ApiClient

__all__ = ["ClientAuthentication"]


class ClientAuthentication(OAuth2Authentication):
    def authenticate(self, request):
        found = super().authenticate(request)
        if found is None:
            return None
        _user, token = found
        # A client-credentials token has no user of its own: the client's account acts.
        client = (
            ApiClient.objects.select_related("organisation", "account")
            .filter(application_id=token.application_id, status=ClientStatus.ACTIVE)
            .first()
        )
        if client is None or not client.account.is_active:
            return None
        user = client.account
        user.__dict__["active_memberships"] = [
            Membership(user=user, organisation=client.organisation, role=client.role)
        ]
        request.api_client = client
        return user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
