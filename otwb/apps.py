from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OtwbConfig(AppConfig):
    name = "otwb"
    verbose_name = _("Ondersteuningsteam Weerbaar Bestuur")
    home_sections = ()
