"""The texts of the Web Push notices about meldingen. A push passes through the browser
vendor's push service and shows on a lock screen: it says only that something needs the
recipient, never what. Lazy: worded in the recipient's language (``weerbaar.notifications``)."""

from django.utils.translation import gettext_lazy as _

from .constants import Severity

__all__ = ["acute_push", "escalation_push"]


def acute_push(melding):
    """The push text for a notice about ``melding`` when it is acute, else none."""
    if melding.effective_severity != Severity.ACUTE:
        return ""
    return _("Er is een acute melding — open het portaal")


def escalation_push():
    return _("Een melding wacht op actie — open het portaal")
