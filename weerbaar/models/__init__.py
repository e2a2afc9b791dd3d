from .access_requests import AccessRequest
from .audit import AuditEvent
from .cache import CacheEntry
from .invitations import Invitation
from .membership_requests import MembershipRequest
from .mfa import SecondFactorThrottle
from .notifications import Notification
from .organisations import Organisation
from .profiles import OrganisationProfile
from .push import PushDelivery, PushSubscription
from .search import SearchToken
from .seats import SeatCount
from .self_declared import GenderDeclaration
from .sso import IdentityProvider
from .sweeps import SweepFailure, SweepRun
from .users import Membership, User

__all__ = [
    "AccessRequest",
    "AuditEvent",
    "CacheEntry",
    "GenderDeclaration",
    "IdentityProvider",
    "Invitation",
    "Membership",
    "MembershipRequest",
    "Notification",
    "Organisation",
    "OrganisationProfile",
    "PushDelivery",
    "PushSubscription",
    "SearchToken",
    "SeatCount",
    "SecondFactorThrottle",
    "SweepFailure",
    "SweepRun",
    "User",
]
