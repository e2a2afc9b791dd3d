"""The core's sweep runner (``weerbaar.sweeps``): the invitations sweep survives one bad
invitation; the public API the outbox delivery uses; the functioneel beheerder's page of
open failures."""

from datetime import timedelta

import pytest
import time_machine
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from weerbaar import memberships, sweeps, tasks
from weerbaar.constants import AuditAction, NotificationStatus, Role
from weerbaar.models import (
    AuditEvent,
    Invitation,
    Membership,
    Notification,
    SweepFailure,
    SweepRun,
)
from weerbaar.notifications import notify

from ..factories import make_user
from ..sweep_failures import ALERT, BadCase, check_survives_one_bad_case, refused_row

pytestmark = pytest.mark.django_db


def _invitation(organisation, inviter, n):
    return Invitation.objects.create(
        email=f"oud{n}@example.org",
        organisation=organisation,
        role=Role.GRIFFIER,
        invited_by=inviter,
        token_hash=f"hash-{n}",
        expires_at=timezone.now() - timedelta(days=40),
    )


def test_expired_invitations_sweep_survives_one_bad_invitation(gemeente_a, bzk):
    beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, bzk)
    ids = [_invitation(gemeente_a, beheerder, n).pk for n in range(3)]
    case = BadCase(
        sweep="expire-invitations",
        model=Invitation,
        run=lambda: tasks.purge_expired_invitations.run(),
        acted=lambda pk: 0 if Invitation.objects.filter(pk=pk).exists() else 1,
        healthy=[ids[0], ids[2]],
        bad=ids[1],
        breaking=lambda: refused_row(Invitation, "id", ids[1], "DELETE"),
    )
    check_survives_one_bad_case(case, at=timezone.now(), beheerder=beheerder)


def test_outbox_delivery_survives_one_bad_notification(gemeente_a, bzk):
    """A row whose delivery raises (here: its claim is refused, as for a corrupt row) does
    not stop the others; it is recorded, alerted once, held back and sent once repaired."""
    beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, bzk)
    griffier = make_user(Role.GRIFFIER, gemeente_a)
    ids = [
        notify(griffier, kind="melding.new", subject="Nieuwe melding", body="Log in.").pk
        for _n in range(3)
    ]
    ids += [
        notify(griffier, kind="melding.other", subject="Nog een", body="Log in.").pk
        for _n in range(2)
    ]

    def sent(pk):
        return int(Notification.objects.filter(pk=pk, status=NotificationStatus.SENT).exists())

    def run():
        """What the sweep sent of the case's rows (the alert to the beheerder is not one)."""
        before = sum(sent(pk) for pk in ids)
        tasks.deliver_notifications.run()
        return sum(sent(pk) for pk in ids) - before

    case = BadCase(
        sweep="deliver-notifications",
        model=Notification,
        run=run,
        acted=sent,
        healthy=[pk for pk in ids if pk != ids[2]],
        bad=ids[2],
        breaking=lambda: refused_row(Notification, "id", ids[2], "UPDATE"),
    )
    check_survives_one_bad_case(case, at=timezone.now(), beheerder=beheerder)


def test_the_outbox_api_alerts_once_backs_off_and_closes(gemeente_a, bzk):
    """What the outbox delivery calls: ``record_failure`` / ``record_success`` /
    ``sweep_ran``. Only the first failure alerts; the error's later lines (which may quote
    row values) are not kept."""
    beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, bzk)
    other = make_user(Role.GRIFFIER, gemeente_a)
    now = timezone.now()
    error = ValueError("eerste regel\nDETAIL: Key (email)=(geheim@example.org)")
    first = sweeps.record_failure(sweep="deliver-notifications", obj=other, error=error, now=now)
    again = sweeps.record_failure(
        sweep="deliver-notifications", obj=other, error=error, now=now + timedelta(minutes=5)
    )
    assert again.pk == first.pk and again.attempts == 2
    assert again.next_attempt_at == now + timedelta(minutes=15)
    assert again.error_class == "ValueError" and again.error_message == "eerste regel"
    assert Notification.objects.filter(kind=ALERT).count() == 1
    assert Notification.objects.get(kind=ALERT).recipient == beheerder
    assert sweeps.record_success(sweep="deliver-notifications", obj=other) == 1
    assert not SweepFailure.objects.open().exists()
    sweeps.sweep_ran(sweep="deliver-notifications", due=4, acted=3, now=now)
    run = SweepRun.objects.get(sweep="deliver-notifications")
    assert (run.last_succeeded_at, run.last_due, run.last_acted) == (now, 4, 3)


def test_backoff_doubles_from_five_minutes_to_at_most_six_hours():
    assert [sweeps.backoff(n) for n in (1, 2, 3)] == [
        timedelta(minutes=5),
        timedelta(minutes=10),
        timedelta(minutes=20),
    ]
    assert sweeps.backoff(20) == timedelta(hours=6)


def test_a_lost_connection_stops_the_run_instead_of_blaming_a_case(gemeente_a, bzk):
    """Not the case's fault: nothing is recorded, the run is not marked successful and the
    next run does the work."""
    make_user(Role.FUNCTIONEEL_BEHEERDER, bzk)

    def lost(chunk):
        raise OperationalError("server closed the connection unexpectedly")

    with pytest.raises(OperationalError), sweeps.run("expire-invitations") as run:
        run.act([1, 2], lost, model=Invitation)
    assert not SweepFailure.objects.exists()
    assert SweepRun.objects.get(sweep="expire-invitations").last_succeeded_at is None


@pytest.fixture
def failure(gemeente_a):
    return SweepFailure.objects.create(
        sweep="incidents-escalate-due",
        object_type="incidents.melding",
        object_id="42",
        error_class="ValueError",
        error_message="4 is not a valid EscalationLevel",
        first_failed_at=timezone.now(),
        last_failed_at=timezone.now(),
        next_attempt_at=timezone.now() + timedelta(minutes=5),
    )


def test_the_beheerder_sees_open_failures_and_marks_one_resolved(failure, bzk, client_for):
    beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, bzk)
    client = client_for(beheerder)
    page = client.get(reverse("sweep_failures"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "incidents-escalate-due" in html and "incidents.melding 42" in html
    assert "4 is not a valid EscalationLevel" in html and "Markeer als opgelost" in html
    home = client.get(reverse("home")).content.decode()
    assert reverse("sweep_failures") in home

    response = client.post(reverse("sweep_failure_resolve", args=[failure.pk]))
    assert response.status_code == 302
    failure.refresh_from_db()
    assert failure.resolved_at is not None and failure.resolved_by == beheerder
    line = AuditEvent.objects.for_object(failure).get()
    assert line.action == AuditAction.UPDATE and line.actor == beheerder
    assert line.detail["change"] == "resolved"
    assert "Er zijn geen open storingen" in client.get(reverse("sweep_failures")).content.decode()
    # Resolving twice is a 404, not a second audit line.
    assert client.post(reverse("sweep_failure_resolve", args=[failure.pk])).status_code == 404


@pytest.mark.parametrize(
    "role", [Role.GRIFFIER, Role.SECRETARIS, Role.OFFICE_HOLDER, Role.OTWB_COORDINATOR]
)
def test_anyone_else_gets_a_404_and_cannot_resolve(failure, gemeente_a, client_for, role):
    client = client_for(make_user(role, gemeente_a))
    assert client.get(reverse("sweep_failures")).status_code == 404
    assert client.post(reverse("sweep_failure_resolve", args=[failure.pk])).status_code == 404
    failure.refresh_from_db()
    assert failure.resolved_at is None


def test_a_forged_post_without_csrf_token_is_refused(failure, bzk, client_for):
    beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, bzk)
    client = client_for(beheerder)
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse("sweep_failure_resolve", args=[failure.pk]))
    assert response.status_code == 403
    failure.refresh_from_db()
    assert failure.resolved_at is None


def test_resolved_by_hand_the_case_is_tried_at_the_next_run_and_alerts_again_if_it_fails(
    gemeente_a, bzk, client_for
):
    beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, bzk)
    bad = _invitation(gemeente_a, beheerder, 1)
    with refused_row(Invitation, "id", bad.pk, "DELETE"):
        tasks.purge_expired_invitations.run()
        failure = SweepFailure.objects.open().get()
        client_for(beheerder).post(reverse("sweep_failure_resolve", args=[failure.pk]))
        with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
            tasks.purge_expired_invitations.run()
    assert SweepFailure.objects.count() == 2
    assert Notification.objects.filter(kind=ALERT, recipient=beheerder).count() == 2


def _ending_raadsleden(organisation, griffier, *, at, n=3):
    people = [make_user(Role.OFFICE_HOLDER, organisation, "raadslid") for _n in range(n)]
    ids = []
    for person in people:
        membership = person.active_memberships[0]
        memberships.end(membership=membership, actor=griffier, at=at)
        ids.append(membership.pk)
    return ids


def test_memberships_end_sweep_survives_one_bad_membership(gemeente_a, bzk):
    beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, bzk)
    griffier = make_user(Role.GRIFFIER, gemeente_a)
    ids = _ending_raadsleden(gemeente_a, griffier, at=timezone.now() + timedelta(hours=1))
    case = BadCase(
        sweep="memberships-end",
        model=Membership,
        run=lambda: tasks.end_memberships.run(),
        acted=lambda pk: (
            AuditEvent.objects.for_object(Membership(pk=pk))
            .filter(action=AuditAction.MEMBERSHIP_ENDED)
            .count()
        ),
        healthy=[ids[0], ids[2]],
        bad=ids[1],
        breaking=lambda: refused_row(Membership, "id", ids[1], "UPDATE"),
    )
    check_survives_one_bad_case(case, at=timezone.now() + timedelta(hours=2), beheerder=beheerder)


def test_memberships_end_notice_sweep_survives_one_bad_membership(gemeente_a, bzk):
    beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, bzk)
    griffier = make_user(Role.GRIFFIER, gemeente_a)
    ids = _ending_raadsleden(gemeente_a, griffier, at=timezone.now() + timedelta(days=10))
    case = BadCase(
        sweep="memberships-end-notice",
        model=Membership,
        run=lambda: tasks.tell_memberships_ending.run(),
        acted=lambda pk: Notification.objects.filter(
            kind="weerbaar.membership_end", recipient__memberships=pk
        ).count(),
        healthy=[ids[0], ids[2]],
        bad=ids[1],
        breaking=lambda: refused_row(Membership, "id", ids[1], "UPDATE"),
    )
    check_survives_one_bad_case(case, at=timezone.now(), beheerder=beheerder)
