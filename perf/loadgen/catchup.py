"""Bring seeded data to the steady state a running portal is in: every periodic sweep has
run (so what was due years ago has been reminded, escalated and recorded once), and the
outbox has been delivered. Without this the first sweep after seeding would do years of
work at once, and "nothing due" could not be measured."""

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from weerbaar.constants import NotificationStatus
from weerbaar.models import Notification

from .common import EMAIL_DOMAIN

__all__ = ["SKIPPED_TASKS", "catch_up"]

# Delivering the outbox would send mail; the heartbeat is not a sweep over data.
SKIPPED_TASKS = {"weerbaar.tasks.deliver_notifications", "weerbaar.tasks.record_heartbeat"}


def catch_up(plan):
    done = {}
    for name, entry in sorted(settings.CELERY_BEAT_SCHEDULE.items()):
        if entry["task"] in SKIPPED_TASKS:
            continue
        task = import_string(entry["task"])
        done[name] = task.run()
        plan.log(f"  sweep {name}: {done[name]}")
    # To an account, or by email only to an address without one (the people named on an
    # OTWB registration): both at the load data's own domain.
    at_domain = f"@{EMAIL_DOMAIN}"
    delivered = Notification.objects.filter(
        Q(recipient__email__endswith=at_domain) | Q(recipient=None, email__endswith=at_domain),
        status=NotificationStatus.PENDING,
    ).update(status=NotificationStatus.SENT, sent_at=timezone.now())
    plan.log(f"  outbox: {delivered} marked delivered")
    return done
