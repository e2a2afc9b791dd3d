import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weerbaar.settings")

app = Celery("weerbaar")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def on_worker_ready(**kwargs):
    """A worker that just started is alive: beat it at once, so /health/ does not read
    "stale" for the first minute, and watch every sweep from now (a sweep that never ran
    counts as late only after twice its interval)."""
    from django.conf import settings

    from weerbaar import sweeps, tasks

    tasks.record_heartbeat()
    sweeps.watch(name for name in settings.CELERY_BEAT_SCHEDULE if name not in sweeps.UNWATCHED)
    if settings.METRICS_WORKER_PORT:
        from weerbaar.metrics import listener

        listener.start(settings.METRICS_WORKER_PORT)
