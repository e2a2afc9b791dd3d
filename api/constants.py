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
    VEILIGWONEN_LEZEN = (
        "veiligwonen:lezen",
        _("Veilig Wonen lezen: aanvragen (wachtrij, termijn, kosten) en maatregelen"),
    )
    VEILIGWONEN_PERSOONSGEGEVENS = (
        "veiligwonen:persoonsgegevens",
        _("Namen bij aanvragen Veilig Wonen (aanvrager, intakemedewerker, adviseur)"),
    )
    OTWB_LEZEN = "otwb:lezen", _("Sessies en aanmeldingen van het OTWB lezen")
    OTWB_PERSOONSGEGEVENS = (
        "otwb:persoonsgegevens",
        _("Namen en e-mailadressen van aangemelde driehoeken"),
    )
    PARAATHEID_LEZEN = "paraatheid:lezen", _("Paraatheid van de organisatie lezen")
    WEBHOOKS_BEHEREN = "webhooks:beheren", _("Eigen webhooks beheren")


class ClientStatus(models.TextChoices):
    PENDING = "pending", _("Wacht op goedkeuring")
    ACTIVE = "active", _("Actief")
    REFUSED = "refused", _("Geweigerd")
    REVOKED = "revoked", _("Ingetrokken")


# The roles a client can act as: it sees what a person of that role in its organisation
# sees (``visible_to`` of each resource), never more.
CLIENT_ROLES = (
    Role.GRIFFIER,
    Role.SECRETARIS,
    Role.VOORZITTER,
    Role.VERTROUWENSPERSOON,
    Role.OTWB_COORDINATOR,
    Role.VW_INTAKE,
)

# The national body a national role belongs to; the other client roles belong to a
# gemeente, provincie or waterschap.
NATIONAL_CLIENT_ROLES = {
    Role.VERTROUWENSPERSOON: "OTWB",
    Role.OTWB_COORDINATOR: "OTWB",
    Role.VW_INTAKE: "BZK",
}

_MELDINGEN = (Scope.MELDINGEN_LEZEN, Scope.MELDINGEN_INHOUD, Scope.AANGIFTE_SCHRIJVEN)
_OTWB = (Scope.OTWB_LEZEN, Scope.OTWB_PERSOONSGEGEVENS)
# The scopes a client of each role may hold: what a person of that role reads in the portal.
# Veilig Wonen only for BZK's own intake systems; the tour for the OTWB coordinator and for
# the griffier (the OTWB's contact of an organisation); readiness for the keepers of an
# organisation's readiness and for the OTWB coordinator, who sees every organisation's.
# Any client may manage its own webhooks (the events carry ids only; it reads what its
# other scopes allow).
_HOOKS = Scope.WEBHOOKS_BEHEREN
ROLE_SCOPES = {
    Role.GRIFFIER: frozenset({*_MELDINGEN, *_OTWB, Scope.PARAATHEID_LEZEN, _HOOKS}),
    Role.SECRETARIS: frozenset({*_MELDINGEN, Scope.PARAATHEID_LEZEN, _HOOKS}),
    Role.VOORZITTER: frozenset({*_MELDINGEN, _HOOKS}),
    Role.VERTROUWENSPERSOON: frozenset({*_MELDINGEN, _HOOKS}),
    Role.OTWB_COORDINATOR: frozenset({*_OTWB, Scope.PARAATHEID_LEZEN, _HOOKS}),
    Role.VW_INTAKE: frozenset(
        {Scope.VEILIGWONEN_LEZEN, Scope.VEILIGWONEN_PERSOONSGEGEVENS, _HOOKS}
    ),
}
