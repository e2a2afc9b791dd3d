from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VeiligwonenConfig(AppConfig):
    name = "veiligwonen"
    verbose_name = _("Veilig Wonen")

    def ready(self):
        from . import search

        search.register()

    @property
    def home_sections(self):
        from weerbaar.constants import Role
        from weerbaar.navigation import Section

        return (
            Section(
                "veiligwonen:apply",
                _("Veilig Wonen aanvragen"),
                _("Vraag een gratis woningscan en beveiligingsadvies aan."),
                frozenset({Role.OFFICE_HOLDER, Role.SECRETARIS}),
            ),
            Section(
                "veiligwonen:index",
                _("Aanvragen Veilig Wonen"),
                _("Volg de aanvragen, adviezen en maatregelen."),
                frozenset({Role.OFFICE_HOLDER, Role.SECRETARIS, Role.SECURITY_ADVISER, Role.BVA}),
            ),
            Section(
                "veiligwonen:queue",
                _("Wachtrij Veilig Wonen"),
                _("Aanvragen op volgorde van urgentie, met termijnen."),
                frozenset({Role.VW_INTAKE}),
            ),
            Section(
                "veiligwonen:costs",
                _("Kosten Veilig Wonen"),
                _("Kosten van uitgevoerde maatregelen per werkgever en per jaar."),
                frozenset({Role.SECRETARIS, Role.VW_INTAKE, Role.BVA, Role.ANALYST}),
            ),
        )
