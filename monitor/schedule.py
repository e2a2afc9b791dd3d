"""Beat entries of this app, merged into settings.CELERY_BEAT_SCHEDULE."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "monitor-summary": {
        "task": "monitor.tasks.refresh_summary",
        "schedule": crontab(minute="*/15"),
    },
}
