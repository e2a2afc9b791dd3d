"""Queue webhook events in the business transaction: ``emit(event, obj)``.

The services of incidents, veiligwonen and otwb call this one line where their state
changes; a row per interested subscription goes into the outbox in the same transaction,
so a rolled-back change sends nothing and a committed one is never lost. A subscription
gets the event only when its client would see the object through the API: the model's
``visible_to`` for the client's account acting as the client's role, and the scope the
event needs. This module knows no feature app: it asks the object's own model."""

import uuid

from django.utils import timezone

from .constants import REQUIRED_SCOPE, EventType

__all__ = ["EventType", "emit", "emit_many", "melding_status_event"]


def melding_status_event(old, new):
    """The event of a melding's move from ``old`` to ``new``, or None."""
    if new == "closed":
        return EventType.MELDING_CLOSED
    if old == "submitted" and new == "in_triage":
        return EventType.MELDING_ACKNOWLEDGED
    return None


def _object_name(obj):
    return obj._meta.model_name


def _acting(client):
    """The client's service account holding only the client's role, as the API's
    authentication sets it up for a request."""
    from weerbaar.models import Membership

    account = client.account
    account.__dict__["active_memberships"] = [
        Membership(user=account, organisation=client.organisation, role=client.role)
    ]
    return account


def _subscriptions(event):
    from api.constants import ClientStatus

    from .models import Subscription

    return [
        s
        for s in Subscription.objects.filter(client__status=ClientStatus.ACTIVE)
        .select_related("client__organisation", "client__account")
        .order_by("pk")
        if event in s.events
        and (REQUIRED_SCOPE.get(event) is None or s.client.has_scope(REQUIRED_SCOPE[event]))
    ]


def emit(event, obj):
    """Queue ``event`` (an ``EventType``; None does nothing) about ``obj``."""
    if event is not None:
        emit_many(event, [obj])


def emit_many(event, objects):
    """Queue ``event`` for each of ``objects`` (one model): one query for the
    subscriptions, one per subscription for what its client sees, one insert."""
    from .models import Delivery

    objects = [o for o in objects if o is not None]
    if event is None or not objects:
        return []
    event = EventType(event)
    subscriptions = _subscriptions(event)
    if not subscriptions:
        return []
    model = type(objects[0])
    ids = [o.pk for o in objects]
    now = timezone.now()
    rows = []
    for subscription in subscriptions:
        account = _acting(subscription.client)
        seen = set(
            model._default_manager.visible_to(account)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
        for pk in ids:
            if pk in seen:
                rows.append(_row(subscription, event, _object_name(objects[0]), pk, now))
    return Delivery.objects.bulk_create(rows)


def _row(subscription, event, name, pk, now):
    from .models import Delivery

    message_id = f"msg_{uuid.uuid4().hex}"
    return Delivery(
        subscription=subscription,
        message_id=message_id,
        event_type=event,
        object_key=f"{name}:{pk}",
        payload={
            "type": str(event),
            "timestamp": now.isoformat(),
            "data": {"object": name, "id": pk},
        },
        created_at=now,
        next_attempt_at=now,
    )
