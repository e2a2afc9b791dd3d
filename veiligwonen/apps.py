from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VeiligwonenConfig(AppConfig):
    name = "veiligwonen"
    verbose_name = _("Veilig Wonen")
    home_sections = ()
