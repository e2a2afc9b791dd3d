import datetime as dt

import pytest
from django.utils import timezone

from otwb import services
from otwb.constants import SessionKind, SessionStatus, Theme, TrajectStatus
from otwb.errors import Refused
from otwb.models import Traject
from otwb.workflow import TransitionError
from weerbaar.models import AuditEvent, Notification

from .factories import TrainerFactory, at

pytestmark = pytest.mark.django_db


def test_create_trajecten_gives_every_gemeente_and_provincie_one_traject(tour, organisations):
    assert services.create_trajecten(tour) == 342 + 12
    assert services.create_trajecten(tour) == 0
    assert not Traject.objects.filter(organisation__kind="waterschap").exists()


def test_gemeente_traject_walks_from_invitation_to_completed(
    tour, gemeente_a, griffier_a, coordinator
):
    services.create_trajecten(tour)
    traject = Traject.objects.get(tour=tour, organisation=gemeente_a)

    services.transition_traject(traject, TrajectStatus.INVITED, actor=coordinator, channel="letter")
    services.transition_traject(traject, TrajectStatus.CALLED, actor=coordinator)
    voorgesprek = services.plan_voorgesprek(
        traject, planned_at=at(2026, 1, 12, 10), actor=coordinator
    )
    services.record_voorgesprek(
        voorgesprek,
        held_at=at(2026, 1, 12, 11),
        themes=[Theme.ONLINE, Theme.GRIFFIE],
        notes="Raad wil vooral over online haat praten.",
        actor=coordinator,
    )
    traject.refresh_from_db()
    assert traject.status == TrajectStatus.VOORGESPREK_HELD
    assert traject.voorgesprek_held_at == at(2026, 1, 12, 11)

    session = services.create_session(
        tour=tour,
        kind=SessionKind.COUNCIL,
        title="Raadsbrede sessie Utrecht",
        starts_at=at(2026, 3, 2, 19),
        ends_at=at(2026, 3, 2, 22),
        place="Stadhuis Utrecht",
        organisations=[gemeente_a],
        actor=coordinator,
    )
    traject.refresh_from_db()
    assert traject.status == TrajectStatus.SESSION_PLANNED

    with pytest.raises(TransitionError, match="vertrouwenspersoon"):
        services.transition_session(session, SessionStatus.CONFIRMED, actor=coordinator)
    services.assign_trainer(session, TrainerFactory(), actor=coordinator)
    services.transition_session(session, SessionStatus.CONFIRMED, actor=coordinator)
    services.transition_session(
        session, SessionStatus.HELD, actor=coordinator, now=at(2026, 3, 2, 22, 30)
    )
    traject.refresh_from_db()
    assert traject.status == TrajectStatus.SESSION_HELD
    assert traject.session_held_at is not None

    agreement = services.add_agreement(
        traject,
        description="Protocol agressie vaststellen",
        owner="Griffier",
        due_on=dt.date(2026, 6, 1),
        actor=griffier_a,
    )
    traject.refresh_from_db()
    assert traject.status == TrajectStatus.FOLLOW_UP
    with pytest.raises(TransitionError, match="vervolgafspraken open"):
        services.transition_traject(traject, TrajectStatus.COMPLETED, actor=coordinator)
    services.complete_agreement(agreement, actor=griffier_a)
    services.transition_traject(traject, TrajectStatus.COMPLETED, actor=coordinator)

    traject.refresh_from_db()
    assert traject.status == TrajectStatus.COMPLETED
    assert [e.to_status for e in traject.events.all()] == [
        TrajectStatus.INVITED,
        TrajectStatus.CALLED,
        TrajectStatus.VOORGESPREK_PLANNED,
        TrajectStatus.VOORGESPREK_HELD,
        TrajectStatus.SESSION_PLANNED,
        TrajectStatus.SESSION_HELD,
        TrajectStatus.FOLLOW_UP,
        TrajectStatus.COMPLETED,
    ]
    assert AuditEvent.objects.for_object(traject).filter(action="record.transition").count() == 8
    # The griffier heard about the invitation, the voorgesprek and the session, and was told
    # nothing of the content.
    told = Notification.objects.filter(recipient=griffier_a)
    assert told.filter(kind="otwb.traject.invited").exists()
    assert told.filter(kind="otwb.session.confirmed").exists()
    assert all("online" not in n.body for n in told)


def test_invitation_needs_a_channel(tour, gemeente_a, coordinator):
    services.create_trajecten(tour)
    traject = Traject.objects.get(tour=tour, organisation=gemeente_a)
    with pytest.raises(Refused, match="brief of per e-mail"):
        services.transition_traject(traject, TrajectStatus.INVITED, actor=coordinator)


def test_declining_needs_a_reason_and_can_be_picked_up_again(tour, gemeente_a, coordinator):
    services.create_trajecten(tour)
    traject = Traject.objects.get(tour=tour, organisation=gemeente_a)
    with pytest.raises(TransitionError, match="reden"):
        services.transition_traject(traject, TrajectStatus.DECLINED, actor=coordinator)
    services.transition_traject(
        traject, TrajectStatus.DECLINED, actor=coordinator, reason="Eigen programma met de politie"
    )
    traject.refresh_from_db()
    assert traject.declined_reason == "Eigen programma met de politie"
    services.transition_traject(traject, TrajectStatus.INVITED, actor=coordinator, channel="email")
    traject.refresh_from_db()
    assert traject.status == TrajectStatus.INVITED


def test_a_traject_cannot_skip_the_voorgesprek(tour, gemeente_a, coordinator):
    services.create_trajecten(tour)
    traject = Traject.objects.get(tour=tour, organisation=gemeente_a)
    with pytest.raises(TransitionError, match="kan het traject niet"):
        services.transition_traject(traject, TrajectStatus.SESSION_HELD, actor=coordinator)


def test_cancelled_session_puts_traject_back_to_waiting_for_a_session(
    tour, gemeente_a, coordinator
):
    services.create_trajecten(tour)
    traject = Traject.objects.get(tour=tour, organisation=gemeente_a)
    voorgesprek = services.plan_voorgesprek(traject, planned_at=timezone.now(), actor=coordinator)
    services.record_voorgesprek(
        voorgesprek, held_at=timezone.now(), themes=[], notes="", actor=coordinator
    )
    session = services.create_session(
        tour=tour,
        kind=SessionKind.COUNCIL,
        title="Sessie",
        starts_at=at(2026, 3, 2, 19),
        ends_at=at(2026, 3, 2, 22),
        online_url="https://meet.example.org/x",
        organisations=[gemeente_a],
        actor=coordinator,
    )
    services.transition_session(
        session, SessionStatus.CANCELLED, actor=coordinator, reason="Zaal niet beschikbaar"
    )
    traject.refresh_from_db()
    assert traject.status == TrajectStatus.VOORGESPREK_HELD


def test_session_cannot_be_marked_held_before_it_starts(tour, coordinator):
    trainer = TrainerFactory()
    session = services.create_session(
        tour=tour,
        kind=SessionKind.FOLLOW_UP,
        title="Vervolgtraining",
        starts_at=at(2026, 3, 2, 19),
        ends_at=at(2026, 3, 2, 22),
        place="Provinciehuis",
        actor=coordinator,
    )
    services.assign_trainer(session, trainer, actor=coordinator)
    services.transition_session(session, SessionStatus.CONFIRMED, actor=coordinator)
    with pytest.raises(TransitionError, match="pas na de start"):
        services.transition_session(
            session, SessionStatus.HELD, actor=coordinator, now=at(2026, 3, 1, 12)
        )


def test_follow_up_campaign_starts_with_organisations_that_had_a_session(
    tour, gemeente_a, gemeente_b
):
    from django.core.management import call_command

    from otwb.constants import TourKind

    from .factories import TourFactory

    services.create_trajecten(tour)
    Traject.objects.filter(tour=tour, organisation=gemeente_a).update(
        session_held_at=at(2025, 1, 1, 20)
    )
    follow_up = TourFactory(kind=TourKind.FOLLOW_UP, follows=tour)
    call_command("otwb_create_trajecten", follow_up.pk, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(Traject.objects.filter(tour=follow_up).values_list("organisation", flat=True)) == [
        gemeente_a.pk
    ]
