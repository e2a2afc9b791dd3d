"""What every page of a signed-in user loads before the view (weerbaar.middleware): the
memberships and the unread badge in one query, fresh on every request."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from weerbaar import memberships
from weerbaar.backends.auth import PortalBackend
from weerbaar.constants import Position, Role
from weerbaar.middleware import load_memberships
from weerbaar.models import Notification, User


def test_one_query_loads_the_same_memberships_as_the_user_model(
    gemeente_a, gemeente_b, user_factory, django_assert_num_queries
):
    griffier = user_factory(Role.GRIFFIER, gemeente_a)
    now = timezone.now()
    memberships.seed(user=griffier, organisation=gemeente_b, role=Role.SECRETARIS, source="test")
    memberships.seed(
        user=griffier, organisation=gemeente_b, role=Role.GRIFFIER, valid_until=now, source="test"
    )
    memberships.seed(
        user=griffier,
        organisation=gemeente_b,
        role=Role.CIVIL_SERVANT,
        valid_from=now + timedelta(days=1),
        source="test",
    )
    Notification.objects.create(
        recipient=griffier, kind="t", subject="s", body="b", next_attempt_at=now
    )
    expected = User.objects.get(pk=griffier.pk).active_memberships
    user = User.objects.get(pk=griffier.pk)
    with django_assert_num_queries(1):
        unread = load_memberships(user)
        loaded = user.active_memberships
        names = [(m.organisation.name, m.organisation.province_id) for m in loaded]
    assert unread == 1
    assert [m.pk for m in loaded] == [m.pk for m in expected] and len(loaded) == 2
    assert names == [(m.organisation.name, m.organisation.province_id) for m in expected]


def test_a_new_notification_shows_at_the_next_request(gemeente_a, user_factory, client_for):
    griffier = user_factory(Role.GRIFFIER, gemeente_a)
    client = client_for(griffier)
    assert "Berichten (" not in client.get(reverse("home")).content.decode()
    Notification.objects.create(
        recipient=griffier, kind="t", subject="s", body="b", next_attempt_at=timezone.now()
    )
    assert "Berichten (1 ongelezen)" in client.get(reverse("home")).content.decode()


def test_an_ended_membership_stops_access_at_the_next_request(
    gemeente_a, griffier_a, user_factory, client_for
):
    from tests.incidents.factories import make_melding

    raadslid = user_factory(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    case = reverse("incidents:case", args=[make_melding(raadslid).pk])
    client = client_for(griffier_a)
    assert client.get(case).status_code == 200
    memberships.end_all(user=griffier_a)
    assert client.get(case).status_code in (403, 404)


def test_a_user_without_memberships_still_sees_the_badge(db, client_for):
    admin = User.objects.create_user("beheer@example.nl", "x" * 16, is_staff=True)
    Notification.objects.create(
        recipient=admin, kind="t", subject="s", body="b", next_attempt_at=timezone.now()
    )
    assert "Berichten (1 ongelezen)" in client_for(admin).get(reverse("home")).content.decode()


def test_the_backend_reads_the_user_with_memberships_and_unread_count_in_one_query(
    gemeente_a, gemeente_b, user_factory, django_assert_num_queries
):
    griffier = user_factory(Role.GRIFFIER, gemeente_a)
    memberships.seed(user=griffier, organisation=gemeente_b, role=Role.SECRETARIS, source="test")
    memberships.seed(
        user=griffier,
        organisation=gemeente_b,
        role=Role.GRIFFIER,
        valid_until=timezone.now(),
        source="test",
    )
    Notification.objects.create(
        recipient=griffier, kind="t", subject="s", body="b", next_attempt_at=timezone.now()
    )
    expected = User.objects.get(pk=griffier.pk).active_memberships
    with django_assert_num_queries(1):
        user = PortalBackend().get_user(griffier.pk)
        loaded = user.active_memberships
        assert all(m.user is user for m in loaded)
        names = [m.organisation.name for m in loaded]
    assert user == griffier and user.unread_on_load == 1
    assert [m.pk for m in loaded] == [m.pk for m in expected] and len(loaded) == 2
    assert names == [m.organisation.name for m in expected]


def test_the_backend_reads_a_user_without_memberships_and_refuses_an_inactive_one(
    gemeente_a, user_factory
):
    admin = User.objects.create_user("beheer@example.nl", "x" * 16, is_staff=True)
    user = PortalBackend().get_user(admin.pk)
    assert user == admin and user.active_memberships == []
    griffier = user_factory(Role.GRIFFIER, gemeente_a)
    User.objects.filter(pk=griffier.pk).update(is_active=False)
    assert PortalBackend().get_user(griffier.pk) is None
    assert PortalBackend().get_user(10**9) is None


def test_a_changed_password_still_ends_other_sessions(gemeente_a, user_factory, client_for):
    # The user is read by the portal's backend; Django still compares the session with the
    # password hash afterwards.
    griffier = user_factory(Role.GRIFFIER, gemeente_a)
    client = client_for(griffier)
    assert client.get(reverse("home")).status_code == 200
    griffier.set_password("een-ander-wachtwoord-2026")
    griffier.save()
    response = client.get(reverse("incidents:dashboard"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_an_inactive_user_loses_access_at_the_next_request(gemeente_a, user_factory, client_for):
    griffier = user_factory(Role.GRIFFIER, gemeente_a)
    client = client_for(griffier)
    assert client.get(reverse("incidents:dashboard")).status_code == 200
    User.objects.filter(pk=griffier.pk).update(is_active=False)
    response = client.get(reverse("incidents:dashboard"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_the_unread_badge_counts_up_to_its_cap_and_reads_meer_dan_beyond_it(
    gemeente_a, user_factory, client_for
):
    """A busy griffier has thousands of unread reminders at national scale: the badge on
    every page counts up to ``UNREAD_CAP`` (the statement stops there) and says "meer dan
    99" beyond it, exact below it (issue 25 §2)."""
    from weerbaar.middleware import UNREAD_CAP

    griffier = user_factory(Role.GRIFFIER, gemeente_a)
    now = timezone.now()

    def unread(n):
        Notification.objects.bulk_create(
            Notification(recipient=griffier, kind="t", subject="s", body="b", next_attempt_at=now)
            for _ in range(n)
        )

    unread(UNREAD_CAP)
    user = User.objects.get(pk=griffier.pk)
    assert (load_memberships(user), user.unread_on_load.capped) == (UNREAD_CAP, False)
    assert (
        f"Berichten ({UNREAD_CAP} ongelezen)"
        in client_for(griffier).get(reverse("home")).content.decode()
    )

    unread(2)
    user = User.objects.get(pk=griffier.pk)
    assert (load_memberships(user), user.unread_on_load.capped) == (UNREAD_CAP, True)
    html = client_for(griffier).get(reverse("home")).content.decode()
    assert f"Berichten (meer dan {UNREAD_CAP} ongelezen)" in html
    assert f"U heeft meer dan {UNREAD_CAP} ongelezen berichten." in html
