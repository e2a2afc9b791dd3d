from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    """What a subscription can be told of. The payload names the event and the object's id,
    nothing else: the receiver fetches what its scopes allow."""

    MELDING_SUBMITTED = "melding.submitted", _("Melding ingediend")
    MELDING_ACKNOWLEDGED = "melding.acknowledged", _("Ontvangst van een melding bevestigd")
    MELDING_ESCALATED = "melding.escalated", _("Melding geëscaleerd")
    MELDING_CLOSED = "melding.closed", _("Melding afgesloten")
    AANGIFTE_STATUS_CHANGED = "aangifte.status_changed", _("Status van de aangifte gewijzigd")
    VEILIGWONEN_STATUS_CHANGED = (
        "veiligwonen.status_changed",
        _("Status van een aanvraag Veilig Wonen gewijzigd"),
    )
    OTWB_SESSION_CHANGED = "otwb.session_changed", _("Sessie van het OTWB gewijzigd")


# Events about meldingen reach a client only with the scope that lets it read them.
REQUIRED_SCOPE = {
    EventType.MELDING_SUBMITTED: "meldingen:lezen",
    EventType.MELDING_ACKNOWLEDGED: "meldingen:lezen",
    EventType.MELDING_ESCALATED: "meldingen:lezen",
    EventType.MELDING_CLOSED: "meldingen:lezen",
    EventType.AANGIFTE_STATUS_CHANGED: "meldingen:lezen",
}


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Wacht op verzending")
    SENDING = "sending", _("Wordt verzonden")
    DELIVERED = "delivered", _("Afgeleverd")
    DEAD = "dead", _("Niet afgeleverd (opgegeven)")
    # The client was revoked before the message went out: never sent, kept for its owner.
    CANCELLED = "cancelled", _("Geannuleerd (koppeling ingetrokken)")


# Not yet finished: the states that hold back later events for the same object.
UNDONE = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)
