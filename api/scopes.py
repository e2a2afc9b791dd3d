"""django-oauth-toolkit asks this which scopes a client may get: only its own."""

from oauth2_provider.scopes import SettingsScopes

from .constants import ClientStatus


def _client_scopes(application):
    client = getattr(application, "api_client", None) if application is not None else None
    if client is None or client.status != ClientStatus.ACTIVE:
        return []
    return list(client.scopes)


class ClientScopes(SettingsScopes):
    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        return _client_scopes(application)

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return _client_scopes(application)
