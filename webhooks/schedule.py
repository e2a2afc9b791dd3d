"""Beat entries of this app, merged into settings.CELERY_BEAT_SCHEDULE."""

from datetime import timedelta

BEAT_SCHEDULE = {
    "deliver-webhooks": {
        "task": "webhooks.tasks.deliver_webhooks",
        "schedule": timedelta(seconds=15),
    },
}
