from .audit import AuditEvent
from .invitations import Invitation
from .notifications import Notification
from .organisations import Organisation
from .sweeps import SweepFailure, SweepRun
from .users import Membership, User

__all__ = [
    "AuditEvent",
    "Invitation",
    "Membership",
    "Notification",
    "Organisation",
    "SweepFailure",
    "SweepRun",
    "User",
]
