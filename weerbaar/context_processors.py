from django.utils.functional import SimpleLazyObject

from .models import Notification


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unread = getattr(request, "unread_count", None)
    if unread is None:
        unread = SimpleLazyObject(lambda: Notification.objects.unread_for(user).count())
    return {
        "unread_count": unread,
        "active_membership": getattr(request, "membership", None),
        "memberships": user.active_memberships,
    }
