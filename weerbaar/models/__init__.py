from .audit import AuditEvent
from .invitations import Invitation
from .notifications import Notification
from .organisations import Organisation
from .push import PushDelivery, PushSubscription
from .users import Membership, User

__all__ = [
    "AuditEvent",
    "Invitation",
    "Membership",
    "Notification",
    "Organisation",
    "PushDelivery",
    "PushSubscription",
    "User",
]
