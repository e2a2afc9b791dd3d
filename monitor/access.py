"""Who may open the monitor: the analyst (national figures), and a griffier or secretaris
(their own organisation's figures). Anyone else — office holders, civil servants, the
case workers of the schemes — is refused: the monitor is not a way around case access."""

from django.core.exceptions import PermissionDenied

from weerbaar.constants import Role

from .filters import MonitorFilter
from .selection import monitor_membership

__all__ = ["monitor_filter"]


def monitor_filter(request):
    """The filter for this user's scope, or PermissionDenied."""
    membership = monitor_membership(request)
    if membership is None:
        raise PermissionDenied
    organisation = None if membership.role == Role.ANALYST else membership.organisation
    return MonitorFilter(request.GET or None, organisation=organisation)
