"""Celery wrappers over the sweeps in ``incidents.services``; the beat schedule is in
``incidents.schedule``."""

from celery import shared_task

from .services import retention, sweeps


@shared_task
def escalate_due():
    return sweeps.escalate_due()


@shared_task
def remind_aftercare():
    return sweeps.remind_aftercare()


@shared_task
def remind_aangifte():
    return sweeps.remind_aangifte()


@shared_task
def remind_aangifte_confirmation():
    return sweeps.remind_aangifte_confirmation()


@shared_task
def remind_idle():
    return sweeps.remind_idle()


@shared_task
def anonymise_expired():
    return retention.anonymise_due()
