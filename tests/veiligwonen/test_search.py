"""The Veilig Wonen queue's search box (issue 21 §3b, docs/search.md): an intake officer
finds an application by its reference, the applicant's name or the home address (encrypted
at rest: found through its blind index), in every phase unless they chose one; nobody else
can search the queue, and the search is audited without its words."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from veiligwonen import services
from veiligwonen.models import Application
from weerbaar.constants import AuditAction, Position, Role
from weerbaar.models import AuditEvent, SearchToken

from ..factories import make_user
from .factories import submit

pytestmark = pytest.mark.django_db

URL = reverse("veiligwonen:queue")
REF = re.compile(r"VW-\d{5}")


def search(client, query):
    response = client.post(URL, {"zoek-q": query})
    assert response.status_code == 302, response.content.decode()[:300]
    assert query.split()[0].casefold() not in response["Location"].casefold()
    page = client.get(response["Location"])
    assert page.status_code == 200
    return set(REF.findall(page.content.decode()))


@pytest.fixture
def applications(cast):
    wethouder = make_user(
        Role.OFFICE_HOLDER, cast.gemeente, Position.WETHOUDER, full_name="Sanne Wiersma"
    )
    mine = services.submit_application(
        membership=cast.membership(wethouder),
        filed_by=wethouder,
        home_address="Kromme Nieuwegracht 12, 3512 HK Utrecht",
        household="",
        phone="",
    )
    other = submit(cast, cast.burgemeester)  # at factories.HOME
    return mine, other


@pytest.mark.parametrize("query", ["Wiersma", "sanne wier", "kromme nieuweg", "3512"])
def test_intake_finds_an_application_by_name_and_home_address(
    client_for, cast, applications, query
):
    mine, _other = applications
    assert search(client_for(cast.intake), query) == {mine.reference}


def test_intake_finds_it_by_reference_also_when_no_longer_waiting(client_for, cast, applications):
    mine, _other = applications
    Application.objects.filter(pk=mine.pk).update(status="withdrawn")
    client = client_for(cast.intake)
    assert search(client, mine.reference) == {mine.reference}
    assert search(client, "wiersma") == {mine.reference}


def test_the_index_holds_no_word_of_the_address(client_for, cast, applications):
    assert SearchToken.objects.filter(kind="veiligwonen.application").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT encode(token, 'escape') FROM weerbaar_searchtoken")
        dump = " ".join(row[0] for row in cursor.fetchall()).casefold()
    for word in ("geheimelaan", "nieuwegracht", "wiersma", "sanne", "utrecht"):
        assert word not in dump


def test_each_search_is_audited_without_its_words(client_for, cast, applications):
    search(client_for(cast.intake), "nieuwegracht")
    line = AuditEvent.objects.get(action=AuditAction.SEARCH)
    assert line.detail == {
        "kind": "veiligwonen.application",
        "by_reference": False,
        "terms": 1,
        "results": 1,
    }


def test_other_roles_cannot_search_the_queue(client_for, cast, applications):
    for user in (cast.secretaris, cast.other_secretaris, cast.adviser):
        assert client_for(user).post(URL, {"zoek-q": "wiersma"}).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.SEARCH).exists()
