from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitorConfig(AppConfig):
    name = "monitor"
    verbose_name = _("Monitor")
    # (prefix, URLconf) pairs the project's URLconf mounts (weerbaar/urls.py names no app).
    url_mounts = (("monitor/", "monitor.urls"),)

    def ready(self):
        from django.db.backends.signals import connection_created

        from .aggregates.sqlite import register

        connection_created.connect(register, dispatch_uid="monitor-sqlite-percentile")

    @property
    def home_sections(self):
        from weerbaar.constants import Role
        from weerbaar.navigation import Section

        return (
            Section(
                "monitor:index",
                _("Monitor"),
                _("Geanonimiseerde cijfers over meldingen, Veilig Wonen en de ronde."),
                frozenset({Role.ANALYST}),
                nav=True,
            ),
            Section(
                "monitor:index",
                _("Cijfers van uw organisatie"),
                _("Geanonimiseerde cijfers over meldingen en Veilig Wonen bij uw organisatie."),
                frozenset({Role.GRIFFIER, Role.SECRETARIS}),
            ),
        )
