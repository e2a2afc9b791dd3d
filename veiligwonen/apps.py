from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VeiligwonenConfig(AppConfig):
    name = "veiligwonen"
    verbose_name = _("Veilig Wonen")
    # (prefix, URLconf) pairs the project's URLconf mounts (weerbaar/urls.py names no app).
    url_mounts = (("veilig-wonen/", "veiligwonen.urls"),)

    def ready(self):
        from . import search

        search.register()

    def start_panels(self, user, membership):
        """BZK intake's queue with its SLA state, an adviser's and the BVA's own cases, an
        office holder's access to the scheme (``weerbaar.navigation.start_panels_for``)."""
        from . import start

        return start.panels(user, membership)

    @property
    def home_sections(self):
        from weerbaar.constants import Role
        from weerbaar.navigation import Section

        from .constants import ELIGIBLE_POSITIONS

        def covered(membership):
            # An office holder whose office the scheme does not cover (a raadslid) is not
            # offered it; the start page says why (start.scheme_panel).
            return (
                membership.role != Role.OFFICE_HOLDER or membership.position in ELIGIBLE_POSITIONS
            )

        return (
            Section(
                "veiligwonen:apply",
                _("Veilig Wonen aanvragen"),
                _("Vraag een gratis woningscan en beveiligingsadvies aan."),
                frozenset({Role.OFFICE_HOLDER, Role.SECRETARIS}),
                offered=covered,
            ),
            Section(
                "veiligwonen:index",
                _("Aanvragen Veilig Wonen"),
                _("Volg de aanvragen, adviezen en maatregelen."),
                frozenset({Role.OFFICE_HOLDER, Role.SECRETARIS, Role.SECURITY_ADVISER, Role.BVA}),
                offered=covered,
                nav=True,
                nav_title=_("Veilig Wonen"),
            ),
            Section(
                "veiligwonen:queue",
                _("Wachtrij Veilig Wonen"),
                _("Aanvragen op volgorde van urgentie, met termijnen."),
                frozenset({Role.VW_INTAKE}),
                nav=True,
                nav_title=_("Wachtrij"),
            ),
            Section(
                "veiligwonen:costs",
                _("Kosten Veilig Wonen"),
                _("Kosten van uitgevoerde maatregelen per werkgever en per jaar."),
                frozenset({Role.SECRETARIS, Role.VW_INTAKE, Role.BVA, Role.ANALYST}),
            ),
        )
