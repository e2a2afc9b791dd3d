"""What every page of a signed-in user loads before the view (weerbaar.middleware): the
memberships and the unread badge in one query, fresh on every request."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from weerbaar.constants import Position, Role
from weerbaar.middleware import load_memberships
from weerbaar.models import Membership, Notification, User


def test_one_query_loads_the_same_memberships_as_the_user_model(
    gemeente_a, gemeente_b, user_factory, django_assert_num_queries
):
    griffier = user_factory(Role.GRIFFIER, gemeente_a)
    now = timezone.now()
    Membership.objects.create(user=griffier, organisation=gemeente_b, role=Role.SECRETARIS)
    Membership.objects.create(
        user=griffier, organisation=gemeente_b, role=Role.GRIFFIER, valid_until=now
    )
    Membership.objects.create(
        user=griffier,
        organisation=gemeente_b,
        role=Role.CIVIL_SERVANT,
        valid_from=now + timedelta(days=1),
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
    Membership.objects.filter(user=griffier_a).update(valid_until=timezone.now())
    assert client.get(case).status_code in (403, 404)


def test_a_user_without_memberships_still_sees_the_badge(db, client_for):
    admin = User.objects.create_user("beheer@example.nl", "x" * 16, is_staff=True)
    Notification.objects.create(
        recipient=admin, kind="t", subject="s", body="b", next_attempt_at=timezone.now()
    )
    assert "Berichten (1 ongelezen)" in client_for(admin).get(reverse("home")).content.decode()
