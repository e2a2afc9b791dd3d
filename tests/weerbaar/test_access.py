"""The shared access mechanism: deny by default, scope by query, 404 outside the scope."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from guardian.shortcuts import assign_perm

from weerbaar import memberships
from weerbaar.access import get_visible_or_404
from weerbaar.constants import AuditAction, Role
from weerbaar.models import AuditEvent, Membership


@pytest.fixture
def people(gemeente_a, gemeente_b, user_factory):
    return {
        "raadslid_a": user_factory(Role.OFFICE_HOLDER, gemeente_a),
        "raadslid_b": user_factory(Role.OFFICE_HOLDER, gemeente_b),
        "griffier_a": user_factory(Role.GRIFFIER, gemeente_a),
    }


def request_as(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_griffier_sees_own_organisation_only(people, gemeente_b):
    visible = Membership.objects.visible_to(people["griffier_a"])
    assert set(visible.values_list("user", flat=True)) == {
        people["raadslid_a"].pk,
        people["griffier_a"].pk,
    }
    assert visible.filter(organisation=gemeente_b).count() == 0


def test_guessed_id_of_another_gemeente_is_404_and_audited(people):
    other = Membership.objects.get(user=people["raadslid_b"])
    with pytest.raises(Http404):
        get_visible_or_404(request_as(people["griffier_a"]), Membership, pk=other.pk)
    denied = AuditEvent.objects.get(action=AuditAction.ACCESS_DENIED)
    assert denied.actor == people["griffier_a"]
    assert denied.object_id == str(other.pk)


def test_nonexistent_id_is_the_same_404(people):
    with pytest.raises(Http404):
        get_visible_or_404(request_as(people["griffier_a"]), Membership, pk=999999)


def test_anonymous_and_inactive_users_see_nothing(people):
    from django.contrib.auth.models import AnonymousUser

    assert not Membership.objects.visible_to(AnonymousUser()).exists()
    griffier = people["griffier_a"]
    griffier.is_active = False
    griffier.save()
    assert not Membership.objects.visible_to(griffier).exists()


def test_ended_membership_ends_access_at_once(people):
    griffier = people["griffier_a"]
    memberships.end_all(user=griffier)
    griffier.__dict__.pop("active_memberships", None)
    visible = Membership.objects.visible_to(griffier)
    assert not visible.exclude(user=griffier).exists()


def test_guardian_grant_is_ignored_without_direct_fk_model(people):
    """Only models that name a direct-FK permission model take grants; a generic grant
    cannot widen the scope of Membership."""
    other = Membership.objects.get(user=people["raadslid_b"])
    assign_perm("weerbaar.view_membership", people["griffier_a"], other)
    assert not Membership.objects.visible_to(people["griffier_a"]).filter(pk=other.pk).exists()


def test_functioneel_beheerder_scope_of_everything_is_not_lost(people, bzk, user_factory):
    beheerder = user_factory(Role.FUNCTIONEEL_BEHEERDER, bzk)
    assert Membership.objects.visible_to(beheerder).count() == Membership.objects.count()
