"""Thin Celery wrapper over ``webhooks.delivery``; the beat entry is in ``webhooks.schedule``."""

from celery import shared_task
from django.utils import timezone

from weerbaar import sweeps

from . import delivery
from .models import Delivery


@shared_task
def deliver_webhooks():
    now = timezone.now()
    delivered = delivery.deliver_due(now=now)
    sweeps.sweep_ran(
        sweep=delivery.DELIVERY_SWEEP,
        due=Delivery.objects.due(now).count() + delivered,
        acted=delivered,
    )
    return delivered
