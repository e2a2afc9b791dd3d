from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

__all__ = ["ClientRateThrottle"]


class ClientRateThrottle(SimpleRateThrottle):
    """Requests per API client (``REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['client']``),
    counted in the shared cache so every web process counts together."""

    scope = "client"

    def get_rate(self):
        # Read when asked, not at import (DRF's class attribute): a changed setting counts.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view):
        client = getattr(request, "api_client", None)
        if client is None:
            return self.cache_format % {"scope": "anon", "ident": self.get_ident(request)}
        return self.cache_format % {"scope": self.scope, "ident": client.pk}
