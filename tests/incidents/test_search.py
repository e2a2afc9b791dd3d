"""The triage dashboard's search box (issue 21 §3b, docs/search.md).

A triager finds a melding by its reference, the reporter's name, what the reporter wrote
about the perpetrator (a name or an account handle), where it happened and its category —
by whole words or their first letters — through blind indexes: the token table and the
audit log hold no word of it, the URL carries the query only encrypted, and nothing outside
the triager's scope is found."""

import base64
import json
import os
import re
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents.constants import Category, Place, Status
from incidents.models import Melding
from incidents.services.retention import anonymise_due, retention_days
from weerbaar.constants import AuditAction, Position, Role
from weerbaar.models import AuditEvent, SearchToken

from ..factories import make_user
from .factories import make_melding

pytestmark = pytest.mark.django_db

URL = reverse("incidents:dashboard")
REF = re.compile(r">(M-\d{6})</a>")


def search(client, query, url=URL):
    """Type ``query`` into the box: the POST answers with a redirect, whose URL holds no word
    of the query; the list it leads to gives the references found."""
    response = client.post(url, {"zoek-q": query})
    assert response.status_code == 302, response.content.decode()[:500]
    location = response["Location"]
    for word in re.findall(r"\w{3,}", query):
        assert word.casefold() not in location.casefold()
    page = client.get(location)
    assert page.status_code == 200
    return set(REF.findall(page.content.decode())), page


@pytest.fixture
def reporter(gemeente_a):
    return make_user(
        Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID, full_name="Fenna Ölçer-Zwartveld"
    )


@pytest.fixture
def case(reporter):
    return make_melding(
        reporter,
        place=Place.ONLINE,
        perpetrator="known",
        perpetrator_details="Account @Dreiger_Henk stuurde de berichten, ook Kees Brandsma.",
        categories=(Category.DOXING,),
    )


@pytest.fixture
def other_case(raadslid_a):
    return make_melding(raadslid_a, perpetrator_details="Een onbekende man bij de uitgang.")


@pytest.mark.parametrize(
    "query",
    [
        "Fenna Ölçer-Zwartveld",  # the reporter's name as written
        "olcer",  # without the accent
        "zwartv",  # a prefix
        "@dreiger_henk",  # the handle, with or without @
        "dreiger henk",
        "brands",  # a name in the perpetrator text, by its first letters
        "online",  # the place
        "doxing",  # the category
        "persoonsgegevens",
        "fenna online",  # every word must match
    ],
)
def test_a_triager_finds_the_melding_by_each_kind_of_field(
    client_for, griffier_a, case, other_case, query
):
    found, _page = search(client_for(griffier_a), query)
    assert found == {case.reference}


def test_by_reference_in_full_or_as_a_number(client_for, griffier_a, case, other_case):
    client = client_for(griffier_a)
    assert search(client, case.reference)[0] == {case.reference}
    assert search(client, str(case.pk))[0] == {case.reference}
    assert search(client, f"m{case.pk}")[0] == {case.reference}


def test_every_word_must_match(client_for, griffier_a, case, other_case):
    assert search(client_for(griffier_a), "fenna thuis")[0] == set()


def test_every_word_must_match_whatever_their_number(client_for, griffier_a, case, other_case):
    """The words' token ranges are joined (one per word, up to the eight searched for)."""
    words = ["fenna", "olcer", "zwartveld", "dreiger", "henk", "kees", "brandsma", "online"]
    client = client_for(griffier_a)
    for n in range(1, len(words) + 1):
        assert search(client, " ".join(words[:n]))[0] == {case.reference}
    assert search(client, " ".join([*words[:7], "thuis"]))[0] == set()
    assert search(client, "een onbekende man")[0] == {other_case.reference}


def test_another_gemeentes_case_is_not_found(client_for, griffier_b, case, other_case):
    client = client_for(griffier_b)
    assert search(client, "olcer")[0] == set()
    assert search(client, case.reference)[0] == set()


def test_the_token_table_and_the_audit_log_hold_no_word(client_for, griffier_a, case):
    search(client_for(griffier_a), "Dreiger olcer")

    tokens = list(SearchToken.objects.filter(object_id=case.pk))
    assert tokens and all(len(bytes(t.token)) == 16 for t in tokens)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind, object_id::text, encode(token, 'escape') FROM weerbaar_searchtoken"
        )
        dump = " ".join(" ".join(row) for row in cursor.fetchall()).casefold()
    for word in ("fenna", "olcer", "ölçer", "zwartveld", "dreiger", "henk", "brandsma", "online"):
        assert word not in dump

    line = AuditEvent.objects.get(action=AuditAction.SEARCH)
    assert line.actor == griffier_a
    assert line.detail == {
        "kind": "incidents.melding",
        "by_reference": False,
        "terms": 2,
        "results": 1,
    }
    text = json.dumps([line.detail, line.object_id, line.object_type]).casefold()
    assert "dreiger" not in text and "olcer" not in text


def test_after_rotating_the_search_key_the_rotation_command_makes_it_findable_again(
    client_for, griffier_a, case, settings
):
    client = client_for(griffier_a)
    assert search(client, "dreiger")[0] == {case.reference}
    settings.SEARCH_INDEX_KEY = base64.urlsafe_b64encode(os.urandom(32)).decode()
    assert search(client, "dreiger")[0] == set()  # the old tokens mean nothing now

    call_command("rotate_encryption_keys", stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert search(client, "dreiger")[0] == {case.reference}
    assert search(client, "olcer")[0] == {case.reference}


def test_the_query_count_does_not_grow_with_the_results(client_for, griffier_a, raadslid_a):
    client = client_for(griffier_a)
    make_melding(raadslid_a, perpetrator_details="Troll Jansen")
    _found, page = search(client, "jansen")
    one_url = page.request["PATH_INFO"] + "?" + page.request["QUERY_STRING"]
    with CaptureQueriesContext(connection) as one:
        client.get(one_url)
    for _ in range(4):
        make_melding(raadslid_a, perpetrator_details="Troll Jansen")
    found, page = search(client, "jansen")
    assert len(found) == 5
    many_url = page.request["PATH_INFO"] + "?" + page.request["QUERY_STRING"]
    with CaptureQueriesContext(connection) as many:
        client.get(many_url)
    assert len(many.captured_queries) == len(one.captured_queries)


def _parameters_of_the_list(client, url):
    """The number of parameters of each statement that reads meldingen for the page."""
    counts = []

    def count(execute, sql, params, many, context):
        if sql.lstrip().startswith("SELECT") and '"incidents_melding"."ack_deadline"' in sql:
            counts.append(len(params or ()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200
    return counts


def test_the_list_of_results_is_read_with_the_same_parameters_for_1_and_30_found(
    client_for, griffier_a, raadslid_a
):
    """What the search found is passed to the list's query as one array, not a parameter per
    melding found (each of which PostgreSQL parses and plans, on every page)."""
    client = client_for(griffier_a)
    make_melding(raadslid_a, perpetrator_details="Troll Jansen")
    _found, page = search(client, "jansen")
    one = _parameters_of_the_list(
        client, page.request["PATH_INFO"] + "?" + page.request["QUERY_STRING"]
    )
    for _ in range(29):
        make_melding(raadslid_a, perpetrator_details="Troll Jansen")
    _found, page = search(client, "jansen")
    assert "30 resultaten gevonden" in page.content.decode()
    many = _parameters_of_the_list(
        client, page.request["PATH_INFO"] + "?" + page.request["QUERY_STRING"]
    )
    assert one and many == one


def test_every_search_shows_the_same_kept_filter_form(client_for, griffier_a, case):
    """The filter form is kept per filter values (a fragment), not per search: the sealed
    query differs with every search, and the form does not depend on it."""
    client = client_for(griffier_a)
    fragments = caches["fragments"]
    fragments.clear()
    first = search(client, "olcer")[1].content.decode()
    kept = len(fragments._cache)
    second = search(client, "dreiger")[1].content.decode()
    assert len(fragments._cache) == kept
    for html in (first, second):
        assert "Alleen termijn verlopen" in html and 'name="sort"' in html


def test_a_too_short_query_is_explained_in_dutch_and_kept(client_for, griffier_a, case):
    response = client_for(griffier_a).post(URL, {"zoek-q": "ab"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Typ ten minste drie letters of cijfers, of een kenmerk." in html
    assert 'value="ab"' in html
    assert not AuditEvent.objects.filter(action=AuditAction.SEARCH).exists()


def test_another_users_search_link_does_not_search(client_for, griffier_a, case, gemeente_a):
    _found, page = search(client_for(griffier_a), "olcer")
    link = page.request["PATH_INFO"] + "?" + page.request["QUERY_STRING"]
    colleague = make_user(Role.GRIFFIER, gemeente_a)
    html = client_for(colleague).get(link).content.decode()
    assert "Deze zoekopdracht is verlopen" in html
    assert AuditEvent.objects.filter(action=AuditAction.SEARCH).count() == 1


def test_a_reporter_cannot_post_a_search(client_for, raadslid_a, case):
    assert client_for(raadslid_a).post(URL, {"zoek-q": "olcer"}).status_code == 403


def test_anonymisation_removes_the_names_from_the_index(client_for, griffier_a, case):
    Melding.objects.filter(pk=case.pk).update(status=Status.CLOSED, closed_at=timezone.now())
    anonymise_due(now=timezone.now() + timedelta(days=retention_days() + 1))
    client = client_for(griffier_a)
    assert search(client, "olcer")[0] == set()
    assert search(client, "dreiger")[0] == set()
    assert search(client, "doxing")[0] == {case.reference}


def test_erasing_the_reporter_takes_their_name_out_of_the_index(
    client_for, griffier_a, case, reporter
):
    from weerbaar.retention import erase_person

    erase_person(reporter)
    client = client_for(griffier_a)
    assert search(client, "olcer")[0] == set()
    assert search(client, "dreiger")[0] == {case.reference}
