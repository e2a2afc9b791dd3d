"""The benchmark's pages run a fixed number of queries whatever the amount of data: the
count on tiny load data stays within the page's budget and does not change when the data
doubles. (Times are measured by ``manage.py bench``, never asserted.)"""

import pytest
from django.core.management import call_command

from weerbaar.bench import actors, pages

from .conftest import SCALE

# Budget per page: the portal's per-request overhead is 2 queries (the user; its memberships
# with the unread count) and the session from the cache, the rest is the page's own work.
# The target is 12 for the working pages; where a budget is above it, docs/performance.md
# says why.
BUDGET = {
    "triage dashboard": 5,
    "triage dashboard, filtered": 6,
    "triage dashboard, last page": 5,
    "case page (triager)": 15,
    "reporter's list": 5,
    "file a melding (POST)": 50,
    "Veilig Wonen queue": 6,
    "Veilig Wonen case page": 7,
    "OTWB planner": 7,
    "OTWB coverage": 8,
    "monitor main page": 13,
}


def _counts():
    cast = actors.cast()
    counts = {}
    for scenario in pages.SCENARIOS:
        result = pages.measure_one(scenario, cast, repeat=1, warmup=1)
        if result.queries is not None:
            counts[scenario.name] = result.queries
    return counts


def test_every_benchmarked_page_has_a_budget():
    assert {s.name for s in pages.SCENARIOS} == set(BUDGET)


@pytest.mark.django_db(transaction=False)
def test_pages_stay_within_their_query_budget_and_do_not_grow_with_the_data(load_data, db):
    small = _counts()
    assert {"triage dashboard", "reporter's list", "Veilig Wonen queue"} <= set(small)
    over = {name: n for name, n in small.items() if n > BUDGET[name]}
    assert not over, f"over budget: {over}"
    call_command("seed_load", scale=SCALE * 3, verbosity=0, no_sweeps=True)
    grown = _counts()
    assert {name: grown.get(name) for name in small} == small
