"""Thin Celery wrappers: the work is in the service modules."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from . import access_requests, notifications, sweeps, term_of_office
from .health import HEARTBEAT_KEY
from .models import Invitation, Notification

__all__ = [
    "HEARTBEAT_KEY",
    "deliver_notifications",
    "end_memberships",
    "purge_access_requests",
    "purge_expired_invitations",
    "record_heartbeat",
    "tell_memberships_ending",
]

# The heartbeat's time is what counts (/health/ compares it with the beat interval); the
# key outlives it by far so a dead worker reads "stale", not "unknown".
HEARTBEAT_TTL = 7 * 24 * 3600


@shared_task
def deliver_notifications():
    now = timezone.now()
    sent = notifications.deliver_pending(now=now)
    sweeps.sweep_ran(
        sweep=notifications.DELIVERY_SWEEP,
        due=Notification.objects.due(now).count() + sent,
        acted=sent,
    )
    return sent


@shared_task
def record_heartbeat():
    """Read by /health/ to tell whether the worker and beat are alive: the time of the
    last beat, judged against the beat interval."""
    cache.set(HEARTBEAT_KEY, timezone.now().isoformat(), timeout=HEARTBEAT_TTL)


@shared_task
def purge_expired_invitations():
    """Unused invitations are of no use after they expire; used ones stay as a record."""
    now = timezone.now()
    cutoff = now - timezone.timedelta(days=30)
    ids = list(
        Invitation.objects.filter(accepted_at__isnull=True, expires_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )

    def purge(chunk):
        _total, deleted = Invitation.objects.filter(pk__in=chunk).delete()
        return deleted.get(Invitation._meta.label, 0)

    with sweeps.run("expire-invitations", now=now) as sweep:
        return sweep.act(ids, purge, model=Invitation)


@shared_task
def end_memberships():
    """Record the ends of memberships whose date has come (``term_of_office``)."""
    return term_of_office.record_due_ends()


@shared_task
def tell_memberships_ending():
    """Tell people whose role ends soon (``term_of_office``)."""
    return term_of_office.send_due_notices()


@shared_task
def purge_access_requests():
    """Requests for an account are personal data: gone after their retention period."""
    return access_requests.purge_old()
