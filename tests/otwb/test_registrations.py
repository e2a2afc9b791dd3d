import pytest
from django.db import IntegrityError, transaction

from otwb import services
from otwb.constants import RegistrationStatus, SessionKind, SessionStatus
from otwb.errors import Refused
from otwb.models import Registration
from weerbaar.constants import OrganisationKind, Role
from weerbaar.models import Notification, Organisation

from ..factories import make_user
from .factories import SessionFactory, at, driehoek_people
from .threads import run_in_threads

NOW = at(2026, 1, 5, 12)


def _driehoek_session(**kwargs):
    return SessionFactory(
        kind=SessionKind.DRIEHOEK,
        title="Regionale driehoeksessie Midden-Nederland",
        starts_at=at(2026, 4, 14, 13),
        **kwargs,
    )


def _gemeenten(n):
    return list(Organisation.objects.filter(kind=OrganisationKind.GEMEENTE).order_by("code")[:n])


def _register(session, org, now=NOW):
    griffier = make_user(Role.GRIFFIER, org)
    return services.register_driehoek(
        session, org, people=driehoek_people(org.code), actor=griffier, now=now
    )


@pytest.mark.django_db
def test_regional_session_fills_up_then_waiting_list_then_promotion(organisations, coordinator):
    session = _driehoek_session()
    orgs = _gemeenten(8)
    regs = [_register(session, org) for org in orgs]
    assert [r.status for r in regs] == [RegistrationStatus.CONFIRMED] * 6 + [
        RegistrationStatus.WAITING
    ] * 2

    services.cancel_registration(regs[2], actor=coordinator)

    first_waiting, second_waiting = regs[6], regs[7]
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == RegistrationStatus.CONFIRMED
    assert first_waiting.promoted_at is not None
    assert second_waiting.status == RegistrationStatus.WAITING
    assert (
        Registration.objects.filter(session=session, status=RegistrationStatus.CONFIRMED).count()
        == 6
    )
    told = Notification.objects.get(
        recipient=first_waiting.registered_by, kind="otwb.registration.promoted"
    )
    assert told.link == f"/otwb/sessies/{session.pk}/"


@pytest.mark.django_db
def test_capacity_is_configurable_per_session(organisations):
    session = _driehoek_session(capacity=2)
    regs = [_register(session, org) for org in _gemeenten(3)]
    assert regs[2].status == RegistrationStatus.WAITING


@pytest.mark.django_db
def test_one_gemeente_cannot_hold_two_places(gemeente_a, griffier_a):
    session = _driehoek_session()
    services.register_driehoek(
        session, gemeente_a, people=driehoek_people(), actor=griffier_a, now=NOW
    )
    with pytest.raises(Refused, match="al aangemeld"):
        services.register_driehoek(
            session, gemeente_a, people=driehoek_people(), actor=griffier_a, now=NOW
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            session=session,
            organisation=gemeente_a,
            status=RegistrationStatus.WAITING,
            registered_by=griffier_a,
            **driehoek_people(),
        )


@pytest.mark.django_db
def test_registration_closes_four_weeks_before(gemeente_a, griffier_a):
    session = _driehoek_session()
    late = at(2026, 3, 17, 13)  # exactly 28 days before
    with pytest.raises(Refused, match="gesloten"):
        services.register_driehoek(
            session, gemeente_a, people=driehoek_people(), actor=griffier_a, now=late
        )


@pytest.mark.django_db
def test_incomplete_driehoek_is_refused(gemeente_a, griffier_a):
    people = driehoek_people()
    people["secretaris_name"] = " "
    with pytest.raises(Refused, match="hele driehoek"):
        services.register_driehoek(
            _driehoek_session(), gemeente_a, people=people, actor=griffier_a, now=NOW
        )


@pytest.mark.django_db
def test_council_session_takes_no_registrations(gemeente_a, griffier_a):
    with pytest.raises(Refused, match="niet aanmelden"):
        services.register_driehoek(
            SessionFactory(), gemeente_a, people=driehoek_people(), actor=griffier_a, now=NOW
        )


@pytest.mark.django_db(transaction=True)
def test_seven_simultaneous_registrations_for_six_places_put_one_on_the_waiting_list(
    organisations,
):
    session = _driehoek_session()
    orgs = _gemeenten(7)
    griffiers = [make_user(Role.GRIFFIER, org) for org in orgs]
    results = run_in_threads(
        [
            (
                lambda org=org, g=g: services.register_driehoek(
                    session, org, people=driehoek_people(org.code), actor=g, now=NOW
                )
            )
            for org, g in zip(orgs, griffiers, strict=True)
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    statuses = sorted(r.status for r in results)
    assert statuses.count(RegistrationStatus.CONFIRMED) == 6
    assert statuses.count(RegistrationStatus.WAITING) == 1


@pytest.mark.django_db
def test_cancelling_a_session_tells_the_waiting_list_too(organisations, coordinator):
    session = _driehoek_session(capacity=1)
    placed, waiting = (_register(session, org) for org in _gemeenten(2))
    assert waiting.status == RegistrationStatus.WAITING

    services.transition_session(
        session, SessionStatus.CANCELLED, actor=coordinator, reason="Zaal niet beschikbaar"
    )

    for registration in (placed, waiting):
        told = Notification.objects.get(
            recipient=registration.registered_by, kind="otwb.session.cancelled"
        )
        assert told.link == f"/otwb/sessies/{session.pk}/"
