"""Celery wrappers over the sweeps in ``otwb.jobs``."""

from celery import shared_task

from . import jobs


@shared_task
def send_session_reminders():
    return jobs.sweep_session_reminders()


@shared_task
def send_evaluation_requests():
    return jobs.sweep_evaluation_requests()


@shared_task
def nudge_trajecten_without_session():
    return jobs.sweep_no_session_nudges()


@shared_task
def flag_overdue_agreements():
    return jobs.sweep_overdue_agreements()
