"""Who may receive Web Push, and the write path of their subscriptions."""

from django.db import transaction

from . import audit
from .constants import AuditAction, Role
from .models import PushSubscription
from .push import device_label

__all__ = ["PUSH_ROLES", "may_subscribe", "subscribe", "unsubscribe"]

# The people an acute melding or an escalation is for: those who triage, the voorzitters
# escalated to, and the OTWB.
PUSH_ROLES = (
    Role.GRIFFIER,
    Role.SECRETARIS,
    Role.VOORZITTER,
    Role.VERTROUWENSPERSOON,
    Role.OTWB_COORDINATOR,
)


def may_subscribe(user):
    return user.has_role(*PUSH_ROLES)


@transaction.atomic
def subscribe(*, user, endpoint, p256dh, auth, user_agent="", request=None):
    """Store (or renew) this browser's subscription for ``user``. The endpoint identifies the
    browser: subscribing again, by whoever is signed in there now, replaces the row and its
    keys, so one browser never receives another person's notices."""
    subscription, created = PushSubscription.objects.select_for_update().update_or_create(
        endpoint=endpoint,
        defaults={
            "user": user,
            "p256dh": p256dh,
            "auth": auth,
            "device": device_label(user_agent),
            "failures": 0,
        },
    )
    audit.record(
        AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=user,
        obj=subscription,
        request=request,
        device=subscription.device,
    )
    return subscription


@transaction.atomic
def unsubscribe(*, user, subscription, request=None):
    """Remove one of ``user``'s own subscriptions (the caller looked it up in their scope)."""
    if subscription.user_id != user.pk:
        raise PermissionError("not the owner of this subscription")
    audit.record(
        AuditAction.UPDATE,
        actor=user,
        obj=subscription,
        request=request,
        removed=True,
        device=subscription.device,
    )
    subscription.delete()
