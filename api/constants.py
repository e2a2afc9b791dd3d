from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.constants import Role

API_VERSION = "1.0.0"


class Scope(models.TextChoices):
    """What a client may do. ``meldingen:lezen`` gives the registration fields only; free
    text and personal data need ``meldingen:inhoud`` on top (the explicit scope the issue
    asks for), so a registration system that only counts never holds a victim's story."""

    MELDINGEN_LEZEN = "meldingen:lezen", _("Meldingen lezen (registratievelden)")
    MELDINGEN_INHOUD = "meldingen:inhoud", _("Vrije tekst en persoonsgegevens van meldingen")
    AANGIFTE_SCHRIJVEN = "aangifte:schrijven", _("Status van de aangifte bijwerken")
    WEBHOOKS_BEHEREN = "webhooks:beheren", _("Eigen webhooks beheren")


class ClientStatus(models.TextChoices):
    PENDING = "pending", _("Wacht op goedkeuring")
    ACTIVE = "active", _("Actief")
    REFUSED = "refused", _("Geweigerd")
    REVOKED = "revoked", _("Ingetrokken")


# The roles a client can act as: it sees what a person of that role in its organisation
# sees (``Melding.objects.visible_to``), never more.
CLIENT_ROLES = (Role.GRIFFIER, Role.SECRETARIS, Role.VOORZITTER, Role.VERTROUWENSPERSOON)
