"""The webhook backlog at scrape time, beside the notifications outbox's gauges: one query."""

from django.db.models import Count, Min, Q
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from .constants import UNDONE, DeliveryStatus
from .models import Delivery

__all__ = ["WebhookCollector"]

COUNTED = (DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.DEAD)


class WebhookCollector:
    def families(self):
        now = timezone.now()
        counts = Delivery.objects.filter(status__in=COUNTED).aggregate(
            **{state.value: Count("pk", filter=Q(status=state)) for state in COUNTED},
            # Waiting longest: also a message held back behind an earlier one of its object.
            oldest=Min("next_attempt_at", filter=Q(status__in=UNDONE, next_attempt_at__lte=now)),
        )
        backlog = GaugeMetricFamily(
            "weerbaar_webhook_backlog",
            "Webhook messages not delivered, by state: pending, sending (claimed by a "
            "delivery run) or dead (given up, waiting for the client's owner).",
            labels=["state"],
        )
        for state in COUNTED:
            backlog.add_metric([state.value], counts[state.value])
        oldest = GaugeMetricFamily(
            "weerbaar_webhook_oldest_due_seconds",
            "How long the longest-waiting webhook message has been due (0 when none is).",
        )
        oldest.add_metric([], (now - counts["oldest"]).total_seconds() if counts["oldest"] else 0)
        return [backlog, oldest]
