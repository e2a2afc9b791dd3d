"""django-oauth-toolkit's own admin pages are taken away: an application made there would
skip the four eyes of ``api.services`` (it could not read anything — the API accepts only
tokens of an active ``ApiClient`` — but nobody should be led to think it could). Clients
are asked for, approved and revoked on /koppelingen/."""

from django.contrib import admin
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)

for model in (
    get_application_model(),
    get_access_token_model(),
    get_grant_model(),
    get_id_token_model(),
    get_refresh_token_model(),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
