"""The webhook backlog at scrape time, beside the notifications outbox's gauges."""

from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from .constants import DeliveryStatus
from .models import Delivery

__all__ = ["WebhookCollector"]

COUNTED = (DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.DEAD)


class WebhookCollector:
    def families(self):
        now = timezone.now()
        backlog = GaugeMetricFamily(
            "weerbaar_webhook_backlog",
            "Webhook messages not delivered, by state: pending, sending (claimed by a "
            "delivery run) or dead (given up, waiting for the client's owner).",
            labels=["state"],
        )
        counts = dict.fromkeys(COUNTED, 0)
        for row in (
            Delivery.objects.filter(status__in=COUNTED)
            .values("status")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            counts[row["status"]] = row["n"]
        for state, n in counts.items():
            backlog.add_metric([str(state)], n)
        due = Delivery.objects.due(now).aggregate(oldest=Min("next_attempt_at"))
        oldest = GaugeMetricFamily(
            "weerbaar_webhook_oldest_due_seconds",
            "How long the longest-waiting due webhook message has been due (0 when none is).",
        )
        oldest.add_metric([], (now - due["oldest"]).total_seconds() if due["oldest"] else 0)
        return [backlog, oldest]
