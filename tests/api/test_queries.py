"""The list endpoint runs a fixed number of queries whatever the page size (≤ 12, the
page budget): the token, the client, one page of meldingen with their aangifte, and one
statement for all the page's audit lines."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ..incidents.factories import make_melding

pytestmark = pytest.mark.django_db

BUDGET = 12


@pytest.fixture
def many(raadslid_a, gemeente_a):
    from incidents.constants import AangifteStatus
    from incidents.services import followup
    from weerbaar.constants import Role

    from ..factories import make_user

    griffier = make_user(Role.GRIFFIER, gemeente_a)
    made = [make_melding(raadslid_a) for _ in range(30)]
    for melding in made[::3]:
        followup.save_aangifte(melding, actor=griffier, data={"status": AangifteStatus.FILED})
    return made


@pytest.mark.parametrize("page_size", [1, 10, 30])
def test_list_query_count_is_constant(register, many, page_size):
    caller = register(scopes=("meldingen:lezen", "meldingen:inhoud"))
    with CaptureQueriesContext(connection) as queries:
        response = caller.get(f"/api/v1/meldingen?pageSize={page_size}&category=threat")
    assert response.status_code == 200
    assert len(response.json()["results"]) == page_size
    assert len(queries) <= BUDGET, "\n".join(q["sql"][:120] for q in queries)
    print(f"page size {page_size}: {len(queries)} queries")


def test_next_page_costs_the_same(register, many):
    caller = register()
    first = caller.get("/api/v1/meldingen?pageSize=10").json()
    with CaptureQueriesContext(connection) as queries:
        second = caller.get(first["next"])
    assert second.status_code == 200
    assert len(queries) <= BUDGET
