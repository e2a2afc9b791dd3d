"""What a scrape reads from the database: a few indexed queries, labelled by sweep name or
delivery state only.

The due backlog of a sweep is what its last run found due and acted on (``SweepRun``,
written by the sweep runner) and the cases it holds back after failing on them (the open
``SweepFailure`` rows): counting what is due now would mean running every app's due query
(the core knows no feature app) on every scrape. A sweep that stops running shows in
``weerbaar_sweep_last_success_timestamp_seconds``, as it does on /health/."""

from django.db import DatabaseError
from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from ..models import Notification, SweepFailure, SweepRun
from ..models.notifications import DELIVERABLE

__all__ = ["DatabaseCollector", "register_collector"]

# Gauges of feature apps (their ``families()`` read the database at scrape time), registered
# in their AppConfig.ready so that the core imports none of them.
_REGISTERED = []


def register_collector(collector):
    """Add ``collector.families()`` (a list of metric families) to every scrape, under the
    same ``weerbaar_metrics_database_up``. Registering the same class again replaces it."""
    _REGISTERED[:] = [c for c in _REGISTERED if type(c) is not type(collector)]
    _REGISTERED.append(collector)


class DatabaseCollector:
    def collect(self):
        up = GaugeMetricFamily(
            "weerbaar_metrics_database_up",
            "1 when the scrape could read the database gauges below, 0 when it could not.",
        )
        try:
            families = [*self._sweeps(), *self._outbox()]
            for collector in _REGISTERED:
                families += collector.families()
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _sweeps(self):
        due = GaugeMetricFamily(
            "weerbaar_sweep_due", "Cases the sweep's last run found due.", labels=["sweep"]
        )
        acted = GaugeMetricFamily(
            "weerbaar_sweep_acted", "Cases the sweep's last run acted on.", labels=["sweep"]
        )
        succeeded = GaugeMetricFamily(
            "weerbaar_sweep_last_success_timestamp_seconds",
            "Unix time of the sweep's last successful run.",
            labels=["sweep"],
        )
        held = GaugeMetricFamily(
            "weerbaar_sweep_open_failures",
            "Cases the sweep failed on and holds back until their next attempt.",
            labels=["sweep"],
        )
        for run in SweepRun.objects.order_by("sweep"):
            due.add_metric([run.sweep], run.last_due)
            acted.add_metric([run.sweep], run.last_acted)
            if run.last_succeeded_at is not None:
                succeeded.add_metric([run.sweep], run.last_succeeded_at.timestamp())
        for row in (
            SweepFailure.objects.open().values("sweep").annotate(n=Count("pk")).order_by("sweep")
        ):
            held.add_metric([row["sweep"]], row["n"])
        return [due, acted, succeeded, held]

    def _outbox(self):
        now = timezone.now()
        backlog = GaugeMetricFamily(
            "weerbaar_outbox_backlog",
            "Notifications (email and push) not yet delivered, by state: pending, or "
            "sending (claimed by a delivery run).",
            labels=["state"],
        )
        counts = dict.fromkeys(DELIVERABLE, 0)
        for row in (
            Notification.objects.filter(status__in=DELIVERABLE)
            .values("status")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            counts[row["status"]] = row["n"]
        for state, n in counts.items():
            backlog.add_metric([str(state)], n)
        due = Notification.objects.due(now).aggregate(n=Count("pk"), oldest=Min("next_attempt_at"))
        due_now = GaugeMetricFamily(
            "weerbaar_outbox_due", "Notifications whose delivery (or retry) is due now."
        )
        due_now.add_metric([], due["n"])
        oldest = GaugeMetricFamily(
            "weerbaar_outbox_oldest_due_seconds",
            "How long the longest-waiting due notification has been due (0 when none is).",
        )
        oldest.add_metric([], (now - due["oldest"]).total_seconds() if due["oldest"] else 0)
        return [backlog, due_now, oldest]
