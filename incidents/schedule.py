"""Beat entries of this app, merged into settings.CELERY_BEAT_SCHEDULE."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "incidents-escalate-due": {
        "task": "incidents.tasks.escalate_due",
        "schedule": crontab(minute="*/5"),
    },
    "incidents-remind-aftercare": {
        "task": "incidents.tasks.remind_aftercare",
        "schedule": crontab(minute=15, hour="8"),
    },
    "incidents-remind-aangifte": {
        "task": "incidents.tasks.remind_aangifte",
        "schedule": crontab(minute=20, hour="8"),
    },
    "incidents-remind-aangifte-confirmation": {
        "task": "incidents.tasks.remind_aangifte_confirmation",
        "schedule": crontab(minute=22, hour="8"),
    },
    "incidents-remind-idle": {
        "task": "incidents.tasks.remind_idle",
        "schedule": crontab(minute=25, hour="8", day_of_week="1-5"),
    },
    "incidents-anonymise-expired": {
        "task": "incidents.tasks.anonymise_expired",
        "schedule": crontab(minute=40, hour="3"),
    },
}
