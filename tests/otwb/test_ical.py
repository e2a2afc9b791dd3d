import pytest
from django.urls import reverse
from icalendar import Calendar

from otwb import services
from otwb.constants import SessionStatus, Theme
from otwb.models import Trainer, Traject, Voorgesprek

from .factories import SessionFactory, TrainerFactory, at

pytestmark = pytest.mark.django_db


def _feed(client, token):
    return client.get(reverse("otwb:feed", args=[token]))


def test_trainer_feed_lists_their_sessions_as_valid_icalendar(client, coordinator, gemeente_a):
    trainer = TrainerFactory()
    session = SessionFactory(
        title="Raadsbrede sessie Utrecht", starts_at=at(2099, 3, 10, 19), place="Stadhuis"
    )
    session.organisations.set([gemeente_a])
    other = SessionFactory(title="Niet van mij", starts_at=at(2099, 3, 11, 19))
    services.assign_trainer(session, trainer, actor=coordinator)
    cancelled = SessionFactory(title="Afgelast", starts_at=at(2099, 3, 12, 19))
    services.assign_trainer(cancelled, trainer, actor=coordinator)
    services.transition_session(
        cancelled, SessionStatus.CANCELLED, actor=coordinator, reason="Zaal niet beschikbaar"
    )
    token = services.regenerate_feed_token(trainer, actor=coordinator)

    response = _feed(client, token)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    events = cal.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Raadsbrede sessie Utrecht"]
    event = events[0]
    assert str(event["UID"]).startswith(f"otwb-session-{session.pk}@")
    assert event["DTSTAMP"]
    assert event["DTSTART"].dt == at(2099, 3, 10, 19)
    assert event["DTEND"].dt == at(2099, 3, 10, 22)
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert str(event["LOCATION"]) == "Stadhuis"
    assert other.title.encode() not in response.content


def test_feed_token_is_stored_only_as_hash_and_can_be_revoked(client, coordinator):
    trainer = TrainerFactory()
    token = services.regenerate_feed_token(trainer, actor=coordinator)
    stored = Trainer.objects.get(pk=trainer.pk).feed_token_hash
    assert token not in stored and len(stored) == 64
    newer = services.regenerate_feed_token(trainer, actor=coordinator)
    assert _feed(client, token).status_code == 404
    assert _feed(client, newer).status_code == 200
    services.revoke_feed_token(trainer, actor=coordinator)
    assert _feed(client, newer).status_code == 404
    assert _feed(client, "geraden").status_code == 404


def test_feed_shows_no_needs_inventory_or_organisations(client, coordinator, tour, gemeente_a):
    services.create_trajecten(tour)
    traject = Traject.objects.get(tour=tour, organisation=gemeente_a)
    Voorgesprek.objects.create(
        traject=traject,
        planned_at=at(2099, 1, 1, 10),
        held_at=at(2099, 1, 1, 11),
        themes=[Theme.HOME],
        notes="Dreiging aan huis bij een wethouder",
    )
    trainer = TrainerFactory()
    session = SessionFactory(tour=tour, title="Sessie", starts_at=at(2099, 3, 10, 19))
    session.organisations.set([gemeente_a])
    services.assign_trainer(session, trainer, actor=coordinator)
    token = services.regenerate_feed_token(trainer, actor=coordinator)
    body = _feed(client, token).content.decode()
    assert "Dreiging" not in body
    assert "Veiligheid thuis" not in body
    assert trainer.email not in body


def test_session_ics_download_is_one_valid_event(client_for, coordinator):
    session = SessionFactory(
        starts_at=at(2099, 5, 1, 9), place="", online_url="https://meet.example.org/a"
    )
    response = client_for(coordinator).get(reverse("otwb:session_ics", args=[session.pk]))
    assert response.status_code == 200
    cal = Calendar.from_ical(response.content)
    (event,) = cal.walk("VEVENT")
    assert str(event["URL"]) == "https://meet.example.org/a"
    assert str(event["STATUS"]) == "TENTATIVE"
