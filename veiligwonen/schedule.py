"""Beat entries of this app, merged into settings.CELERY_BEAT_SCHEDULE."""

from datetime import timedelta

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "veiligwonen-sla": {
        "task": "veiligwonen.tasks.sweep_sla",
        "schedule": timedelta(minutes=15),
    },
    "veiligwonen-measure-reminders": {
        "task": "veiligwonen.tasks.remind_open_measures",
        "schedule": crontab(hour=7, minute=30),
    },
    "veiligwonen-handoff-receipt": {
        "task": "veiligwonen.tasks.remind_handoff_receipt",
        "schedule": crontab(hour="8-17", minute=5),
    },
    "veiligwonen-rescore": {
        "task": "veiligwonen.tasks.rescore_queue",
        "schedule": crontab(hour=0, minute=20),
    },
    "veiligwonen-retention": {
        "task": "veiligwonen.tasks.purge_closed",
        "schedule": crontab(hour=3, minute=40),
    },
}
