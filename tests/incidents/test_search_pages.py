"""The triage dashboard's search results, page by page (docs/performance.md, "Triage search:
the page's rows only (stop 23)").

The dashboard reads a search's ids in the list's order first, then each page's 25 rows by
their ids. These tests hold every page of several searches against the list as it was read
before: the triager's scope narrowed by the search (``search.filter_queryset``), sorted by
the list's keys and the id, cut in pages of 25 — the same references in the same order, the
same count, the same audit line; and another organisation's griffier finds none of it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.constants import Category, Place, Severity
from incidents.models import Melding
from incidents.search import KIND
from incidents.views.dashboard import SEVERITY_ORDER
from weerbaar import search
from weerbaar.constants import AuditAction, Position, Role
from weerbaar.models import AuditEvent

from ..factories import make_user
from .factories import make_melding

pytestmark = pytest.mark.django_db

URL = reverse("incidents:dashboard")
REF = re.compile(r">(M-\d{6})</a>")
PER_PAGE = 25


@pytest.fixture
def cases(gemeente_a, gemeente_b):
    """58 meldingen in gemeente A by three reporters (places, categories, perpetrators
    varying), some submitted at the same moment (the id decides between them), and three in
    gemeente B by a namesake of A's reporter."""
    start = timezone.now() - timedelta(days=30)
    reporters = [
        make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID, full_name="Daan Jacobs"),
        make_user(Role.OFFICE_HOLDER, gemeente_a, Position.WETHOUDER, full_name="Lotte Visser"),
        make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID, full_name="Daan de Wit"),
    ]
    places = [Place.ONLINE, Place.WORK, Place.HOME]
    categories = [(Category.THREAT,), (Category.DOXING,), (Category.THREAT, Category.DOXING)]
    severities = [None, Severity.HIGH, Severity.LOW, None, Severity.MEDIUM]
    made = []
    for n in range(58):
        melding = make_melding(
            reporters[n % 3],
            place=places[n % len(places)],
            categories=categories[n % len(categories)],
            perpetrator="known",
            perpetrator_details=f"Account @trol_{n % 4} en Kees Brandsma"
            if n % 2
            else "Een onbekende man",
            # Pairs and triples on the same moment: the order then follows the id.
            now=start + timedelta(hours=n // 3),
        )
        if severities[n % len(severities)]:
            Melding.objects.filter(pk=melding.pk).update(severity=severities[n % len(severities)])
        made.append(melding)
    namesake = make_user(Role.OFFICE_HOLDER, gemeente_b, Position.RAADSLID, full_name="Daan Jacobs")
    for _ in range(3):
        make_melding(namesake, place=Place.ONLINE, perpetrator_details="Kees Brandsma")
    return made


def _expected(user, query, sort):
    """The references of the list as read before this change: the scope, narrowed by the
    search, in the list's order (its keys, then the id)."""
    base = Melding.objects.triageable_by(user)
    if "severity_rank" in sort:
        base = base.annotate(severity_rank=SEVERITY_ORDER)
    found = search.filter_queryset(base, KIND, query)
    return [f"M-{pk:06d}" for pk in found.order_by(sort, "-pk").values_list("pk", flat=True)]


def _searched(client, query):
    response = client.post(URL, {"zoek-q": query})
    assert response.status_code == 302
    return response["Location"]


def _every_page(client, location, sort):
    """The references on each page of the searched list, page 1 to the last (and the
    page that ``page=last`` shows), and the count the page states."""
    pages, number = [], 1
    while True:
        response = client.get(f"{location}&sort={sort}&page={number}")
        assert response.status_code == 200
        html = response.content.decode()
        pages.append(REF.findall(html))
        if f"page={number + 1}" not in html:
            break
        number += 1
    last = REF.findall(client.get(f"{location}&sort={sort}&page=last").content.decode())
    return pages, last, html


QUERIES = [
    ("daan jacobs", "the reporter's full name"),
    ("daan", "a reporter's first name, two of them"),
    ("lotte visser", "a wethouder, whose meldingen the griffier does not see: no hits"),
    ("@trol_1", "the perpetrator's handle"),
    ("kees brandsma", "a perpetrator's name"),
    ("brands", "by its first letters"),
    ("online", "the place"),
    ("doxing", "the category"),
    ("bedreiging", "the other category"),
    ("raadsvergadering", "a word of the description, which is not indexed: no hits"),
    ("daan thuis", "every word must match: no hits"),
]


def test_every_page_holds_the_same_results_in_the_same_order_as_before(
    client_for, griffier_a, cases
):
    client = client_for(griffier_a)
    for query, why in QUERIES:
        for sort in ("-submitted_at", "submitted_at", "-severity_rank"):
            expected = _expected(griffier_a, query, sort)
            pages, last, _html = _every_page(client, _searched(client, query), sort)
            assert [ref for page in pages for ref in page] == expected, (query, why, sort)
            assert pages == (
                [expected[n : n + PER_PAGE] for n in range(0, len(expected), PER_PAGE)] or [[]]
            ), (query, why, sort)
            assert last == pages[-1]


def test_many_hits_over_several_pages(client_for, griffier_a, cases):
    """The place of 20 of the griffier's meldingen, a perpetrator's name in 19 and the
    category of 39 (one, two and three pages). The wethouder's are not the griffier's."""
    client = client_for(griffier_a)
    for query, found in (("online", 20), ("brandsma", 19), ("bedreiging", 39)):
        expected = _expected(griffier_a, query, "-submitted_at")
        assert len(expected) == found
        pages, _last, html = _every_page(client, _searched(client, query), "-submitted_at")
        assert [len(page) for page in pages] == [
            min(PER_PAGE, found - n) for n in range(0, found, PER_PAGE)
        ]
        assert [ref for page in pages for ref in page] == expected
        assert f"{found} resultaten gevonden" in html


def test_by_reference_and_its_number(client_for, griffier_a, cases):
    client = client_for(griffier_a)
    case = cases[17]
    for query in (case.reference, str(case.pk), f"m{case.pk}"):
        pages, last, _html = _every_page(client, _searched(client, query), "-submitted_at")
        assert pages == [[case.reference]] == [last]
        assert _expected(griffier_a, query, "-submitted_at") == [case.reference]


def test_a_page_past_the_end_is_not_found(client_for, griffier_a, cases):
    client = client_for(griffier_a)
    location = _searched(client, "online")
    assert client.get(f"{location}&page=2").status_code == 404
    assert client.get(f"{location}&page=x").status_code == 404


def test_another_organisations_griffier_finds_only_their_own(
    client_for, griffier_a, griffier_b, cases
):
    client = client_for(griffier_b)
    theirs = set(Melding.objects.triageable_by(griffier_b).values_list("pk", flat=True))
    assert len(theirs) == 3
    for query in ("daan jacobs", "online", "doxing", "lotte visser", cases[5].reference):
        pages, _last, _html = _every_page(client, _searched(client, query), "-submitted_at")
        found = {int(ref[2:]) for page in pages for ref in page}
        assert found <= theirs
        assert not found & {case.pk for case in cases}
    assert _every_page(client, _searched(client, "lotte"), "-submitted_at")[0] == [[]]


def test_each_search_is_audited_with_its_count_and_no_words(client_for, griffier_a, cases):
    client = client_for(griffier_a)
    location = _searched(client, "bedreiging")
    assert not AuditEvent.objects.filter(action=AuditAction.SEARCH).exists()  # the box alone
    client.get(location)
    client.get(f"{location}&page=2")
    lines = list(AuditEvent.objects.filter(action=AuditAction.SEARCH).order_by("pk"))
    assert [line.detail for line in lines] == [
        {"kind": KIND, "by_reference": False, "terms": 1, "results": 39}
    ] * 2
    assert {line.actor for line in lines} == {griffier_a}
    assert all("bedreiging" not in str(line.detail).casefold() for line in lines)


def test_a_page_of_results_reads_only_its_own_rows(client_for, griffier_a, cases):
    """The statement that reads the rows shown gets the page's 25 ids, not every id found."""
    from django.db import connection

    client = client_for(griffier_a)
    location = _searched(client, "bedreiging")
    arrays = []

    def watch(execute, sql, params, many, context):
        if '"incidents_melding"."ack_deadline"' in sql and "ANY(" in sql:
            arrays.extend(p for p in params or () if isinstance(p, list))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        assert client.get(location).status_code == 200
        assert client.get(f"{location}&page=2").status_code == 200
    assert [len(ids) for ids in arrays] == [25, 14]
