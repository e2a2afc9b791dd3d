from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OtwbConfig(AppConfig):
    name = "otwb"
    verbose_name = _("Ondersteuningsteam Weerbaar Bestuur")
    # (prefix, URLconf) pairs the project's URLconf mounts (weerbaar/urls.py names no app).
    url_mounts = (("otwb/", "otwb.urls"),)

    def ready(self):
        from weerbaar.notifications import register_attachment

        from . import search
        from .ical import ATTACHMENT, session_attachment

        register_attachment(ATTACHMENT, session_attachment)
        search.register()

    def start_panels(self, user, membership):
        """The coordinator's week, short sessions and waiting trajecten
        (``weerbaar.navigation.start_panels_for``)."""
        from . import start

        return start.panels(user, membership)

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
                nav=True,
                nav_title=_("Ronde OTWB"),
                nav_order=10,
            ),
            Section(
                "otwb:coverage",
                _("Bereik van de ronde"),
                _("Welke gemeenten en provincies het team heeft bereikt."),
                frozenset({Role.OTWB_COORDINATOR}),
                nav=True,
                nav_title=_("Bereik"),
                nav_order=20,
            ),
            Section(
                "otwb:my_agenda",
                _("Mijn sessies"),
                _("Uw sessies als trainer en uw persoonlijke agenda-link."),
                frozenset({Role.VERTROUWENSPERSOON}),
                nav=True,
            ),
        )
