"""The OTWB trajecten search box (issue 21 §3b): found by the organisation's name or
province, within ``visible_to`` — a griffier finds only their own organisation's traject."""

import re

import pytest
from django.urls import reverse

from otwb.models import Traject
from weerbaar.constants import AuditAction, Role
from weerbaar.models import AuditEvent

from ..factories import make_user

pytestmark = pytest.mark.django_db

URL = reverse("otwb:traject_list")


def search(client, query):
    response = client.post(URL, {"zoek-q": query})
    assert response.status_code == 302, response.content.decode()[:300]
    page = client.get(response["Location"])
    assert page.status_code == 200
    ids = re.findall(r'href="/[^"]*trajecten/(\d+)/"', page.content.decode())
    return {int(pk) for pk in ids}


@pytest.fixture
def trajecten(tour, gemeente_a, gemeente_b):
    return (
        Traject.objects.create(tour=tour, organisation=gemeente_a),
        Traject.objects.create(tour=tour, organisation=gemeente_b),
    )


def test_the_coordinator_finds_a_traject_by_organisation_and_province(
    client_for, coordinator, trajecten
):
    utrecht, groningen = trajecten
    client = client_for(coordinator)
    assert search(client, "utrecht") == {utrecht.pk}  # the gemeente, and its province
    assert search(client, "gron") == {groningen.pk}
    assert search(client, "GM0014") == {groningen.pk}
    assert search(client, "ronde") == {utrecht.pk, groningen.pk}
    assert AuditEvent.objects.filter(action=AuditAction.SEARCH).count() == 4


def test_a_griffier_finds_only_their_own_organisations_traject(client_for, trajecten, gemeente_a):
    griffier = make_user(Role.GRIFFIER, gemeente_a)
    client = client_for(griffier)
    assert search(client, "groningen") == set()
    assert search(client, "ronde") == {trajecten[0].pk}


def test_a_status_change_keeps_it_findable(client_for, coordinator, trajecten):
    utrecht, _ = trajecten
    utrecht.status = "invited"
    utrecht.save(update_fields=["status"])
    assert search(client_for(coordinator), "utrecht") == {utrecht.pk}
