"""Beat entries of this app, merged into settings.CELERY_BEAT_SCHEDULE."""

from datetime import timedelta

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "otwb-session-reminders": {
        "task": "otwb.tasks.send_session_reminders",
        "schedule": timedelta(minutes=15),
    },
    "otwb-evaluation-requests": {
        "task": "otwb.tasks.send_evaluation_requests",
        "schedule": crontab(minute=0, hour="9"),
    },
    "otwb-no-session-nudges": {
        "task": "otwb.tasks.nudge_trajecten_without_session",
        "schedule": crontab(minute=10, hour="8"),
    },
    "otwb-overdue-agreements": {
        "task": "otwb.tasks.flag_overdue_agreements",
        "schedule": crontab(minute=20, hour="8"),
    },
}
