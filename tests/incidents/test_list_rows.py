"""A list's row links and counts made once per list (``weerbaar.labels.with_links``,
``weerbaar.counting.capped_counts_by``) say the same as their per-row forms."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from incidents.constants import Status
from incidents.models import Melding
from tests.incidents.factories import make_melding
from weerbaar import counting
from weerbaar.labels import with_links

pytestmark = pytest.mark.django_db


def test_each_row_gets_the_url_reverse_gives(raadslid_a):
    meldingen = [make_melding(raadslid_a) for _ in range(3)]
    rows = with_links(Melding.objects.order_by("pk"), "incidents:case")
    assert [m.url for m in rows] == [reverse("incidents:case", args=[m.pk]) for m in meldingen]
    assert with_links([], "incidents:case") == []


def test_a_route_that_takes_no_key_is_refused(raadslid_a):
    make_melding(raadslid_a)
    with pytest.raises(NoReverseMatch):
        with_links(Melding.objects.all(), "incidents:dashboard")


@pytest.mark.parametrize("cap", [1, 2, 1000])
def test_counts_by_value_equal_a_count_per_queryset(raadslid_a, griffier_a, gemeente_b, cap):
    from tests.factories import make_user
    from weerbaar.constants import Position, Role

    for _ in range(3):
        make_melding(raadslid_a)
    make_melding(raadslid_a, confidential=True)
    make_melding(make_user(Role.OFFICE_HOLDER, gemeente_b, Position.RAADSLID))
    Melding.objects.filter(pk=Melding.objects.order_by("pk").first().pk).update(
        status=Status.IN_TRIAGE
    )
    scope = Melding.objects.triageable_by(griffier_a)
    statuses = [s.value for s in Status if s != Status.DRAFT]

    by_value = counting.capped_counts_by(scope, "status", statuses, cap=cap)
    per_queryset = counting.capped_counts({s: scope.filter(status=s) for s in statuses}, cap=cap)
    assert list(by_value) == statuses
    assert {k: (int(v), v.capped) for k, v in by_value.items()} == {
        k: (int(v), v.capped) for k, v in per_queryset.items()
    }
    assert int(by_value[Status.SUBMITTED]) == min(2, cap)
    assert by_value[Status.SUBMITTED].capped == (cap < 2)


REF = re.compile(r">(M-\d{6})</a>")


def _pages(client, query, pages):
    """The references on each page of the dashboard, and the queries each page made."""
    seen, counts = [], []
    for number in pages:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"{reverse('incidents:dashboard')}?{query}page={number}")
        assert response.status_code == 200
        seen.append(REF.findall(response.content.decode()))
        # A session read again once its cached copy expired (a minute) is not the page's.
        counts.append(sum("django_session" not in q["sql"] for q in ctx.captured_queries))
    return seen, counts


@pytest.mark.parametrize("sort", ["", "sort=severity_rank&", "sort=-severity_rank&"])
@pytest.mark.parametrize("cap", [1000, 6])
def test_every_page_shows_its_slice_of_the_list_with_its_categories(
    client_for, griffier_a, raadslid_a, monkeypatch, sort, cap
):
    """Pages past the first read their ids first and the categories for those rows only;
    from the start (a capped count) or from the far end, in every order, they hold the
    list's rows in the list's order, with each row's categories, in as many queries."""
    from incidents.constants import Category, Severity
    from incidents.views.dashboard import DashboardView

    categories = [(Category.THREAT,), (Category.DOXING, Category.VERBAL), (Category.ONLINE,)]
    for n in range(7):
        melding = make_melding(raadslid_a, categories=categories[n % 3])
        Melding.objects.filter(pk=melding.pk).update(severity=[Severity.LOW, Severity.HIGH][n % 2])
    client = client_for(griffier_a)
    whole, _ = _pages(client, sort, [1])
    assert len(whole[0]) == 7

    monkeypatch.setattr(counting, "CAP", cap)
    monkeypatch.setattr(DashboardView, "paginate_by", 2)
    # Capped at 6 (of 7): paged from the start up to the cap; otherwise all 7.
    seen, counts = _pages(client, sort, [1, 2, 3, 4] if cap == 1000 else [1, 2, 3])
    assert [ref for page in seen for ref in page] == whole[0][: min(cap, 7)]
    assert len(set(counts)) == 1, counts
    if cap == 1000:  # the last page, read from the far end
        assert _pages(client, sort, ["last"])[0] == [seen[-1]]
    page = client.get(f"{reverse('incidents:dashboard')}?{sort}page=2").content.decode()
    for ref in seen[1]:
        melding = Melding.objects.get(pk=int(ref[2:]))
        rows = melding.category_rows.order_by("pk")
        labels = ", ".join(str(Category(row.category).label) for row in rows)
        assert labels in page
