"""A person who left office (issue 20 §3) keeps reading their own meldingen and the
messages with the triager, replies to them, and reports what still happens to them because
of the office they held, as oud-raadslid, to the griffier of their former gemeente. Someone
whose roles all ended without a former membership still has their own meldingen."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from incidents import services
from incidents.constants import Route
from incidents.models import Melding, Message
from weerbaar import memberships, term_of_office
from weerbaar.constants import Role
from weerbaar.models import Notification

from .factories import make_melding, membership_of
from .helpers import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_melding(raadslid_a, griffier_a):
    melding = make_melding(raadslid_a)
    services.post_message(melding, "Kunt u ons bellen?", actor=griffier_a)
    return melding


def _leave(person, griffier, *, former=True):
    memberships.end(membership=membership_of(person), actor=griffier, former=former)
    person.__dict__.pop("active_memberships", None)


def test_former_raadslid_reads_old_melding_and_messages_and_replies(
    client_for, raadslid_a, griffier_a, old_melding
):
    _leave(raadslid_a, griffier_a)
    assert {m.role for m in raadslid_a.active_memberships} == {Role.FORMER_OFFICE_HOLDER}
    client = client_for(raadslid_a)
    mine = client.get(reverse("incidents:mine")).content.decode()
    assert reverse("incidents:case", args=[old_melding.pk]) in mine
    case = client.get(reverse("incidents:case", args=[old_melding.pk])).content.decode()
    assert "Kunt u ons bellen?" in case
    response = client.post(
        reverse("incidents:message", args=[old_melding.pk]), {"body": "Ja, graag morgen."}
    )
    assert response.status_code == 302
    assert Message.objects.filter(melding=old_melding, author=raadslid_a).exists()
    # The triager of the route stored on the melding still has it, and is told.
    triager = client_for(griffier_a)
    assert triager.get(reverse("incidents:case", args=[old_melding.pk])).status_code == 200
    assert Notification.objects.filter(recipient=griffier_a, kind="incidents.message").exists()


def test_former_raadslid_files_as_oud_raadslid_to_the_former_griffier(
    client_for, raadslid_a, griffier_a, gemeente_a
):
    _leave(raadslid_a, griffier_a)
    client = client_for(raadslid_a)
    page = client.get(reverse("incidents:new")).content.decode()
    assert griffier_a.get_full_name() in page
    response = client.post(reverse("incidents:new"), form_data())
    melding = Melding.objects.get()
    assert response.status_code == 302
    assert melding.reporter == raadslid_a
    assert (melding.route, melding.route_organisation) == (Route.GRIFFIER, gemeente_a)
    assert melding.reporter_role == Role.FORMER_OFFICE_HOLDER
    assert Notification.objects.filter(recipient=griffier_a, kind="incidents.new").exists()


def test_someone_without_any_role_still_reads_own_meldingen(
    client_for, raadslid_a, griffier_a, old_melding, raadslid_b
):
    _leave(raadslid_a, griffier_a, former=False)
    assert raadslid_a.active_memberships == []
    client = client_for(raadslid_a)
    home = client.get("/").content.decode()
    assert reverse("incidents:mine") in home
    assert (
        reverse("incidents:case", args=[old_melding.pk])
        in client.get(reverse("incidents:mine")).content.decode()
    )
    assert client.get(reverse("incidents:case", args=[old_melding.pk])).status_code == 200
    # Never someone else's.
    other = make_melding(raadslid_b)
    assert client.get(reverse("incidents:case", args=[other.pk])).status_code == 404
    # No role left to file in (the griffier chose no former membership): no form.
    assert client.get(reverse("incidents:new")).status_code == 404


def test_the_former_membership_follows_at_the_planned_date_only(raadslid_a, griffier_a):
    at = timezone.now() + timedelta(days=3)
    memberships.end(membership=membership_of(raadslid_a), actor=griffier_a, at=at)
    assert {m.role for m in membership_of(raadslid_a).user.active_memberships} == {
        Role.OFFICE_HOLDER
    }
    with time_machine.travel(at + timedelta(minutes=1), tick=False):
        term_of_office.record_due_ends()
        raadslid_a.__dict__.pop("active_memberships", None)
        assert [m.label for m in raadslid_a.active_memberships] == ["Oud-raadslid"]
