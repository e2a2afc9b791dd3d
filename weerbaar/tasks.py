"""Thin Celery wrappers: the work is in the service modules."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from . import notifications
from .models import Invitation

HEARTBEAT_KEY = "weerbaar:celery-heartbeat"


@shared_task
def deliver_notifications():
    return notifications.deliver_pending()


@shared_task
def record_heartbeat():
    """Read by /health/ to tell whether the worker and beat are alive."""
    cache.set(HEARTBEAT_KEY, timezone.now().isoformat(), timeout=600)


@shared_task
def purge_expired_invitations():
    """Unused invitations are of no use after they expire; used ones stay as a record."""
    cutoff = timezone.now() - timezone.timedelta(days=30)
    deleted, _ = Invitation.objects.filter(accepted_at__isnull=True, expires_at__lt=cutoff).delete()
    return deleted
