"""Celery wrapper over the monitor's sweep; the beat schedule is in ``monitor.schedule``."""

from celery import shared_task

from .summary import sweep


@shared_task
def refresh_summary():
    return sweep.refresh()
