from django.utils.functional import SimpleLazyObject

from .models import Notification
from .navigation import account_sections_for, nav_sections_for


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unread = getattr(request, "unread_count", None)
    if unread is None:
        unread = SimpleLazyObject(lambda: Notification.objects.unread_for(user).count())
    membership = getattr(request, "membership", None)
    return {
        "unread_count": unread,
        "active_membership": membership,
        "memberships": user.active_memberships,
        # The top navigation (the active role's main tasks) and the account menu: no query.
        "nav_sections": SimpleLazyObject(lambda: nav_sections_for(membership)),
        "account_sections": SimpleLazyObject(lambda: account_sections_for(membership)),
    }
