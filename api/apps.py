from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API-koppelingen")
    # (prefix, URLconf) pairs the project's URLconf mounts (weerbaar/urls.py names no app).
    url_mounts = (("api/", "api.urls"), ("koppelingen/", "api.screen_urls"))
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import schema  # noqa: F401  (registers the OpenAPI authentication extension)

    @property
    def home_sections(self):
        from weerbaar.constants import Role
        from weerbaar.navigation import Section

        from .rules import APPROVERS, REQUESTERS

        return (
            Section(
                "api_clients:list",
                _("API-koppelingen"),
                _(
                    "Systemen van uw organisatie die meldingen ophalen: aanvragen, "
                    "goedkeuren, intrekken."
                ),
                REQUESTERS | APPROVERS | {Role.FUNCTIONEEL_BEHEERDER},
            ),
        )
