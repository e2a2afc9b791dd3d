"""Each service that changes what a subscriber follows queues the event in its own
transaction, for the subscriptions whose client sees the object: aangifte status,
escalation, Veilig Wonen and OTWB sessions."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from incidents.constants import AangifteStatus
from incidents.services import followup
from incidents.services.sweeps import escalate_due
from otwb.constants import SessionKind, SessionStatus
from otwb.services import sessions
from veiligwonen import services as veiligwonen
from webhooks.models import Delivery
from weerbaar.constants import Role

from ..incidents.factories import make_melding
from ..otwb.conftest import tour  # noqa: F401
from ..veiligwonen.factories import HOME, HOUSEHOLD
from .helpers import subscribe

pytestmark = pytest.mark.django_db


def events(subscription):
    return list(subscription.deliveries.order_by("pk").values_list("event_type", "object_key"))


def test_aangifte_status_change_is_an_event_and_an_unchanged_status_is_not(
    register, receiver, raadslid_a, griffier_a
):
    subscription, _secret = subscribe(register(), receiver.url, ["aangifte.status_changed"])
    melding = make_melding(raadslid_a)
    followup.save_aangifte(melding, actor=griffier_a, data={"status": AangifteStatus.PREPARED})
    followup.save_aangifte(melding, actor=griffier_a, data={"police_unit": "Midden-Nederland"})
    followup.save_aangifte(melding, actor=griffier_a, data={"status": AangifteStatus.FILED})
    key = f"melding:{melding.pk}"
    assert events(subscription) == [("aangifte.status_changed", key)] * 2


def test_a_rolled_back_change_queues_nothing(register, receiver, raadslid_a, griffier_a):
    subscription, _secret = subscribe(register(), receiver.url, ["aangifte.status_changed"])
    melding = make_melding(raadslid_a)
    with pytest.raises(RuntimeError), transaction.atomic():
        followup.save_aangifte(melding, actor=griffier_a, data={"status": AangifteStatus.FILED})
        raise RuntimeError("the business transaction fails after the change")
    assert events(subscription) == []


def test_escalation_beyond_the_reminder_is_an_event(register, receiver, raadslid_a):
    subscription, _secret = subscribe(register(), receiver.url, ["melding.escalated"])
    melding = make_melding(raadslid_a)
    now = timezone.now()
    escalate_due(now=now + timedelta(days=10))  # the reminder to the assignee
    assert events(subscription) == []
    escalate_due(now=now + timedelta(days=20))  # to the voorzitter
    assert events(subscription) == [("melding.escalated", f"melding:{melding.pk}")]


def test_veilig_wonen_events_reach_the_employer_but_not_the_griffier(
    register, receiver, gemeente_a
):
    from ..factories import make_user

    employer = register(role=Role.SECRETARIS, scopes=("meldingen:lezen",))
    griffier = register(role=Role.GRIFFIER)
    events_ = ["veiligwonen.status_changed"]
    theirs, _s = subscribe(employer, receiver.url, events_)
    not_theirs, _s = subscribe(griffier, receiver.url + "/g", events_)
    burgemeester = make_user(Role.OFFICE_HOLDER, gemeente_a, "burgemeester")
    application = veiligwonen.submit_application(
        membership=burgemeester.active_memberships[0],
        filed_by=burgemeester,
        home_address=HOME,
        household=HOUSEHOLD,
        phone="06-12345678",
    )
    assert events(theirs) == [("veiligwonen.status_changed", f"application:{application.pk}")]
    assert events(not_theirs) == []
    assert HOME not in str(Delivery.objects.get().payload)


def test_otwb_session_events_reach_the_organisations_own_griffier_client(
    register,
    receiver,
    gemeente_a,
    gemeente_b,
    tour,  # noqa: F811
):
    from ..factories import make_user

    ours, _s = subscribe(register(), receiver.url, ["otwb.session_changed"])
    foreign, _s = subscribe(register(gemeente_b), receiver.url + "/b", ["otwb.session_changed"])
    actor = make_user(Role.OTWB_COORDINATOR, gemeente_a)
    start = timezone.now() + timedelta(days=60)
    session = sessions.create_session(
        tour=tour,
        kind=SessionKind.COUNCIL,
        title="Raadsbrede sessie",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        place="Stadhuis",
        organisations=[gemeente_a],
        actor=actor,
    )
    sessions.transition_session(session, SessionStatus.CANCELLED, actor=actor, reason="Ziekte")
    key = f"session:{session.pk}"
    assert events(ours) == [("otwb.session_changed", key)] * 2
    assert events(foreign) == []
    assert "Ziekte" not in str(list(Delivery.objects.values_list("payload", flat=True)))
