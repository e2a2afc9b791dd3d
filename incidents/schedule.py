"""Beat entries of this app, merged into settings.CELERY_BEAT_SCHEDULE."""

BEAT_SCHEDULE = {}
