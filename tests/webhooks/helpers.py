import json
from datetime import timedelta

from django.utils import timezone

from webhooks import services
from webhooks.delivery import deliver_due

EVENTS = ("melding.submitted", "melding.acknowledged", "melding.closed")


def subscribe(caller, url, events=EVENTS):
    """A subscription of ``caller``'s client, made by the client's owner (its requester)."""
    return services.subscribe(
        actor=caller.client.requested_by, client=caller.client, url=url, events=list(events)
    )


def bodies(receiver):
    return [json.loads(body) for _path, _headers, body in receiver.requests]


def ids(receiver):
    return [headers["webhook-id"] for _path, headers, _body in receiver.requests]


def run_until_quiet(start=None, step=timedelta(hours=7), rounds=12):
    """Deliver again and again, each run later than the longest back-off, until nothing
    is left to do; returns the time of the last run."""
    now = start or timezone.now()
    for _round in range(rounds):
        deliver_due(now=now)
        now += step
    return now
