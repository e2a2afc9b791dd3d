"""Celery entry points: thin wrappers over the sweeps in ``services``."""

from celery import shared_task

from . import services


@shared_task
def sweep_sla():
    return services.sweep_sla()


@shared_task
def remind_open_measures():
    return services.remind_open_measures()


@shared_task
def rescore_queue():
    return services.rescore_open()


@shared_task
def purge_closed():
    return services.purge_closed()


@shared_task
def remind_handoff_receipt():
    return services.remind_handoff_receipt()
