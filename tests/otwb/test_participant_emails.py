"""The OTWB participants are reached by email (issue 21 §4): the burgemeester, griffier and
secretaris named on a driehoek registration (who need not have an account), the council
members invited to a raadsbrede session and a driehoek on the waiting list. The mails go
through the outbox and its delivery sweep, as in production; each carries the session's
.ics, rendered at sending and read back here with ``icalendar``. No mail names a case, a
person or an organisation: time and place travel in the calendar file only."""

import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from icalendar import Calendar

from otwb import jobs, services
from otwb.constants import RegistrationStatus, SessionKind, SessionStatus, TrainerKind
from otwb.models import Evaluation, Session
from weerbaar.constants import OrganisationKind, Position, Role
from weerbaar.models import Notification, Organisation, SweepFailure
from weerbaar.notifications import Message as OutboxMessage
from weerbaar.notifications import deliver_pending, notify_batch

from ..factories import UserFactory, make_user
from .factories import SessionFactory, TrainerFactory, at, driehoek_people

TZ = ZoneInfo("Europe/Amsterdam")
NOW = at(2027, 1, 5, 12)
STARTS = at(2027, 4, 14, 13)
NAMED = ("bm-utr@example.org", "gr-utr@example.org", "gs-utr@example.org")


def _driehoek(**kwargs):
    return SessionFactory(
        kind=SessionKind.DRIEHOEK,
        title="Regionale driehoeksessie Midden-Nederland",
        starts_at=STARTS,
        place="Provinciehuis Utrecht, Archimedeslaan 6",
        **kwargs,
    )


def _gemeenten(n):
    return list(Organisation.objects.filter(kind=OrganisationKind.GEMEENTE).order_by("code")[:n])


def _register(session, org, prefix=None):
    griffier = make_user(Role.GRIFFIER, org)
    with time_machine.travel(NOW, tick=False):
        return services.register_driehoek(
            session, org, people=driehoek_people(prefix or org.code), actor=griffier, now=NOW
        )


def _send():
    """Run the delivery sweep (after everything queued so far is due) and return the
    mails sent, by address."""
    deliver_pending(now=at(2028, 1, 1))
    sent = {}
    for message in mail.outbox:
        for address in message.to:
            sent.setdefault(address, []).append(message)
    mail.outbox.clear()
    return sent


def _event(message):
    """The one VEVENT of the message's single .ics attachment."""
    (attachment,) = message.attachments
    filename, content, mimetype = attachment
    assert filename.endswith(".ics")
    assert mimetype == "text/calendar"
    calendar = Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    return event


def _assert_is_the_session(event, session):
    assert event.decoded("dtstart") == session.starts_at.astimezone(TZ)
    assert event.decoded("dtend") == session.ends_at.astimezone(TZ)
    assert str(event["location"]) == session.place
    assert str(event["summary"]) == session.title


def _assert_no_case_content(message, *private):
    text = f"{message.subject}\n{message.body}"
    for word in private:
        assert word not in text


@pytest.mark.django_db
def test_named_driehoek_members_get_the_confirmation_with_the_session_ics(organisations):
    session = _driehoek()
    gemeente = Organisation.objects.get(code="GM0344")
    registration = _register(session, gemeente, prefix="utr")
    assert registration.status == RegistrationStatus.CONFIRMED

    sent = _send()

    assert set(NAMED) | {registration.registered_by.email} == set(sent)
    for address in [*NAMED, registration.registered_by.email]:
        (message,) = sent[address]
        assert message.subject.endswith("Uw aanmelding is bevestigd")
        _assert_is_the_session(_event(message), session)
        _assert_no_case_content(
            message, "Burgemeester utr", "Secretaris utr", "Utrecht", session.place
        )
    # Named people without an account get no link to a page they cannot log in to.
    assert "/otwb/" not in sent[NAMED[0]][0].body
    assert f"/otwb/sessies/{session.pk}/" in sent[registration.registered_by.email][0].body


@pytest.mark.django_db
def test_a_named_member_with_an_account_is_reached_through_it_once(organisations):
    session = _driehoek()
    gemeente = Organisation.objects.get(code="GM0344")
    griffier = make_user(Role.GRIFFIER, gemeente, email="Gr-Utr@Example.org")
    with time_machine.travel(NOW, tick=False):
        services.register_driehoek(
            session, gemeente, people=driehoek_people("utr"), actor=griffier, now=NOW
        )

    rows = Notification.objects.filter(kind="otwb.registration.confirmed")
    assert rows.filter(recipient=griffier).count() == 1
    assert not rows.filter(email__iexact=griffier.email).exists()
    assert set(rows.exclude(email="").values_list("email", flat=True)) == {NAMED[0], NAMED[2]}


@pytest.mark.django_db
def test_named_members_get_each_reminder_once_7_and_1_day_before_with_the_ics(organisations):
    session = _driehoek()
    registration = _register(session, Organisation.objects.get(code="GM0344"), prefix="utr")
    _send()

    with time_machine.travel(at(2027, 4, 6, 12), tick=False):  # 8 days before
        assert jobs.sweep_session_reminders() == 0
    with time_machine.travel(at(2027, 4, 7, 14), tick=False):  # 6 days 23 h before
        assert jobs.sweep_session_reminders() == 1
        assert jobs.sweep_session_reminders() == 0
        week = _send()
    with time_machine.travel(at(2027, 4, 13, 14), tick=False):  # 23 h before
        assert jobs.sweep_session_reminders() == 1
        assert jobs.sweep_session_reminders() == 0
        day = _send()
    with time_machine.travel(at(2027, 4, 14, 12), tick=False):
        assert jobs.sweep_session_reminders() == 0
        assert _send() == {}

    for sent in (week, day):
        assert set(NAMED) | {registration.registered_by.email} <= set(sent)
        for address in NAMED:
            (message,) = sent[address]
            assert "Herinnering" in message.subject
            _assert_is_the_session(_event(message), session)
            _assert_no_case_content(message, "Utrecht", session.place)
    reminders = Notification.objects.filter(email__in=NAMED, kind__startswith="otwb.reminder")
    assert reminders.filter(kind="otwb.reminder_7d").count() == 3
    assert reminders.filter(kind="otwb.reminder_1d").count() == 3


@pytest.mark.django_db
def test_named_members_are_asked_to_evaluate_through_a_personal_link(organisations):
    session = _driehoek()
    registration = _register(session, Organisation.objects.get(code="GM0344"), prefix="utr")
    session.status = SessionStatus.HELD
    session.save()
    _send()

    with time_machine.travel(at(2027, 4, 15, 9), tick=False):
        assert jobs.sweep_evaluation_requests() == 1
        assert jobs.sweep_evaluation_requests() == 0
        sent = _send()

    assert set(NAMED) | {registration.registered_by.email} == set(sent)
    links = {}
    for address in NAMED:
        (message,) = sent[address]
        assert message.subject.endswith("Hoe was de sessie van het Ondersteuningsteam?")
        _assert_no_case_content(message, "Utrecht", "Burgemeester utr")
        (links[address],) = re.findall(r"/otwb/evaluatie/[^/\s]+/", message.body)
    assert len(set(links.values())) == 3

    anonymous = Client()
    form = anonymous.get(links[NAMED[0]])
    assert form.status_code == 200
    assert session.title in form.content.decode()
    answer = {"overall": 5, "usefulness": 4, "trainers": 5, "comment": ""}
    with time_machine.travel(at(2027, 4, 15, 10), tick=False):
        assert anonymous.post(links[NAMED[0]], answer).status_code == 200
        assert anonymous.post(links[NAMED[0]], answer | {"overall": 3}).status_code == 200
        assert anonymous.post(links[NAMED[2]], answer).status_code == 200
    evaluations = Evaluation.objects.filter(session=session)
    assert evaluations.count() == 2
    assert evaluations.get(respondent_key=f"r{registration.pk}:burgemeester").overall == 3

    # A forged or altered link opens nothing.
    assert anonymous.get(links[NAMED[0]][:-3] + "xyz/").status_code == 404
    assert anonymous.get("/otwb/evaluatie/W1sxLCJidXJnZW1lZXN0ZXIiXV0/").status_code == 404


@pytest.mark.django_db
def test_a_waiting_list_driehoek_is_told_when_the_session_is_cancelled(organisations, coordinator):
    session = _driehoek(capacity=1)
    placed_org, waiting_org = _gemeenten(2)
    placed = _register(session, placed_org, prefix="placed")
    waiting = _register(session, waiting_org, prefix="wait")
    assert waiting.status == RegistrationStatus.WAITING
    _send()

    services.transition_session(
        session, SessionStatus.CANCELLED, actor=coordinator, reason="Zaal niet beschikbaar"
    )
    sent = _send()

    for address in ("bm-wait@example.org", "gs-wait@example.org", waiting.registered_by.email):
        (message,) = sent[address]
        assert message.subject.endswith("Een sessie is geannuleerd")
        assert "wachtlijst" in message.body
        assert message.attachments == []
        _assert_no_case_content(message, "Zaal niet beschikbaar")
    for address in ("bm-placed@example.org", placed.registered_by.email):
        (message,) = sent[address]
        event = _event(message)
        assert str(event["status"]) == "CANCELLED"
        _assert_no_case_content(message, "Zaal niet beschikbaar")


@pytest.mark.django_db
def test_council_members_get_the_invitation_with_the_ics_when_the_session_is_confirmed(
    organisations, coordinator, gemeente_a, gemeente_b
):
    raadslid = make_user(Role.OFFICE_HOLDER, gemeente_a, position=Position.RAADSLID)
    wethouder = make_user(Role.OFFICE_HOLDER, gemeente_a, position=Position.WETHOUDER)
    elsewhere = make_user(Role.OFFICE_HOLDER, gemeente_b, position=Position.RAADSLID)
    session = SessionFactory(title="Raadsbrede sessie Utrecht", starts_at=STARTS)
    session.organisations.set([gemeente_a])
    trainer = TrainerFactory(kind=TrainerKind.VERTROUWENSPERSOON, user=UserFactory())
    services.assign_trainer(session, trainer, actor=coordinator)
    _send()

    with time_machine.travel(NOW, tick=False):
        services.transition_session(session, SessionStatus.CONFIRMED, actor=coordinator)
    sent = _send()

    (invitation,) = sent[raadslid.email]
    assert invitation.subject.endswith(
        "Uitnodiging: sessie van het Ondersteuningsteam Weerbaar Bestuur"
    )
    _assert_is_the_session(_event(invitation), session)
    _assert_no_case_content(invitation, "Utrecht")
    assert wethouder.email not in sent and elsewhere.email not in sent
    (confirmation,) = sent[trainer.user.email]
    _assert_is_the_session(_event(confirmation), session)


@pytest.mark.django_db
def test_the_ics_is_rendered_when_sent_so_a_moved_session_mails_the_new_time(organisations):
    session = _driehoek()
    _register(session, Organisation.objects.get(code="GM0344"), prefix="utr")
    Session.objects.filter(pk=session.pk).update(
        starts_at=at(2027, 4, 15, 9), ends_at=at(2027, 4, 15, 12)
    )
    session.refresh_from_db()
    (message,) = _send()[NAMED[1]]
    _assert_is_the_session(_event(message), session)


@pytest.mark.django_db
def test_an_unknown_attachment_kind_is_held_as_a_failure_not_sent_bare(organisations):
    notify_batch(
        [
            OutboxMessage(
                [],
                kind="test",
                subject="Onderwerp",
                body="Tekst",
                emails=["iemand@example.org"],
                attachment="nobody.registered:1",
            )
        ]
    )
    assert deliver_pending() == 0
    assert mail.outbox == []
    assert SweepFailure.objects.filter(sweep="deliver-notifications").count() == 1


@pytest.mark.django_db
def test_an_outbox_row_needs_an_account_or_an_address(organisations):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Notification.objects.create(kind="x", subject="s", body="b", next_attempt_at=NOW)
