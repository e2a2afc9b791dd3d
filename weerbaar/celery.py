import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weerbaar.settings")

app = Celery("weerbaar")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
