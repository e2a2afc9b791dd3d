from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Meldingen")

    @property
    def home_sections(self):
        from weerbaar.constants import Role
        from weerbaar.navigation import Section

        reporters = frozenset({Role.OFFICE_HOLDER, Role.CIVIL_SERVANT, Role.GRIFFIER})
        triagers = frozenset(
            {Role.GRIFFIER, Role.SECRETARIS, Role.VOORZITTER, Role.VERTROUWENSPERSOON}
        )
        return (
            Section(
                "incidents:new",
                _("Melding doen"),
                _("Meld agressie, intimidatie of bedreiging. Bij acuut gevaar: bel 112."),
                reporters,
            ),
            Section(
                "incidents:mine",
                _("Mijn meldingen"),
                _("Zie wat er met uw meldingen gebeurt en stuur berichten."),
                reporters,
            ),
            Section(
                "incidents:dashboard",
                _("Triage meldingen"),
                _("Meldingen voor uw organisatie: beoordelen, opvolgen, aangifte."),
                triagers,
            ),
        )
