"""The page counts in the database: the number of queries does not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from weerbaar.constants import Role
from weerbaar.models import Organisation

from .conftest import PERIOD
from .factories import VeiligWonen, at, melding

pytestmark = pytest.mark.django_db


def count_queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/monitor/", params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [Role.ANALYST, Role.GRIFFIER])
def test_main_page_runs_the_same_number_of_queries_for_small_and_larger_data(
    data, gemeente_a, role, user_factory, client_for
):
    org = gemeente_a if role == Role.GRIFFIER else Organisation.objects.get(code="BZK")
    client = client_for(user_factory(role, org))
    # The session's first request does more, and the filter fields of an address are
    # rendered once (the provinces), then kept in the fragments cache.
    client.get("/monitor/", PERIOD)
    client.get("/monitor/", {**PERIOD, "soort": "gemeente"})
    small = count_queries(client, PERIOD)
    vw = VeiligWonen(gemeente_a)
    for org in Organisation.objects.filter(kind="gemeente")[:40]:
        for i in range(3):
            melding(org, at(2026, 3, 1 + i), categories=("verbal", "threat"))
            vw.application(at(2026, 4, 1 + i), intake_days=i + 1, advice_days=i + 20)
    assert count_queries(client, PERIOD) == small
    assert count_queries(client, {**PERIOD, "soort": "gemeente"}) == small
