from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OtwbConfig(AppConfig):
    name = "otwb"
    verbose_name = _("Ondersteuningsteam Weerbaar Bestuur")

    def ready(self):
        from weerbaar.notifications import register_attachment

        from . import search
        from .ical import ATTACHMENT, session_attachment

        register_attachment(ATTACHMENT, session_attachment)
        search.register()

    @property
    def home_sections(self):
        from weerbaar.constants import Role
        from weerbaar.navigation import Section

        return (
            Section(
                "otwb:home",
                _("Ondersteuningsteam"),
                _("Voorgesprekken, sessies en regionale driehoeksessies."),
                frozenset({Role.OTWB_COORDINATOR, Role.VERTROUWENSPERSOON, Role.GRIFFIER}),
            ),
            Section(
                "otwb:coverage",
                _("Bereik van de ronde"),
                _("Welke gemeenten en provincies het team heeft bereikt."),
                frozenset({Role.OTWB_COORDINATOR}),
            ),
            Section(
                "otwb:my_agenda",
                _("Mijn sessies"),
                _("Uw sessies als trainer en uw persoonlijke agenda-link."),
                frozenset({Role.VERTROUWENSPERSOON}),
            ),
        )
