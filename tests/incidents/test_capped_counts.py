"""Counts read up to a cap (issue 25 §2, ``weerbaar.counting``): the dashboard's counts per
status, its filtered list and the start page's blocks stop counting at the cap and read
"meer dan …" beyond it, exact below it, and never count what the reader may not see: another
municipality's meldingen or a confidential one."""

import pytest
from django.urls import reverse

from incidents.constants import Status
from incidents.models import Melding
from tests.factories import make_user
from tests.incidents.factories import make_melding
from weerbaar import counting
from weerbaar.constants import Position, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def cap_of_two(monkeypatch):
    monkeypatch.setattr(counting, "CAP", 2)


@pytest.fixture
def three_here_one_elsewhere(raadslid_a, griffier_a, gemeente_b):
    here = [make_melding(raadslid_a) for _ in range(3)]
    confidential = make_melding(raadslid_a, confidential=True)
    elsewhere = make_melding(make_user(Role.OFFICE_HOLDER, gemeente_b, Position.RAADSLID))
    return here, confidential, elsewhere


def start_blocks(client):
    response = client.get(reverse("home"))
    for start in response.context["start_panels"]:
        if start.template == "incidents/includes/start_triage.html":
            return {b.key: b for b in start.panel.blocks}, response.content.decode()
    raise AssertionError("no triage panel")


def test_dashboard_counts_above_the_cap_read_meer_dan_and_page_from_the_start(
    client_for, griffier_a, three_here_one_elsewhere, cap_of_two
):
    response = client_for(griffier_a).get(reverse("incidents:dashboard"))
    counts = dict(response.context["counts"])
    submitted = counts[Status.SUBMITTED]

    assert (int(submitted), submitted.capped) == (2, True)
    assert "meer dan 2" in response.content.decode()
    # The whole list is there to page through; its end is not claimed.
    assert response.context["paginator"].count.capped
    assert "Pagina 1 van" not in response.content.decode()


def test_filtered_dashboard_counts_its_list_up_to_the_cap(
    client_for, griffier_a, three_here_one_elsewhere, cap_of_two
):
    url = f"{reverse('incidents:dashboard')}?status=submitted&category=threat"
    count = client_for(griffier_a).get(url).context["paginator"].count
    assert (int(count), count.capped) == (2, True)


def test_below_the_cap_the_counts_are_exact_and_hold_only_what_the_reader_may_see(
    client_for, griffier_a, gemeente_b, three_here_one_elsewhere
):
    here, confidential, elsewhere = three_here_one_elsewhere
    griffier_b = make_user(Role.GRIFFIER, gemeente_b)
    assert not Melding.objects.triageable_by(griffier_a).filter(pk=confidential.pk).exists()

    for user, expected in ((griffier_a, 3), (griffier_b, 1)):
        client = client_for(user)
        counts = dict(client.get(reverse("incidents:dashboard")).context["counts"])
        assert (int(counts[Status.SUBMITTED]), counts[Status.SUBMITTED].capped) == (
            expected,
            False,
        )
        blocks, html = start_blocks(client)
        assert (int(blocks["awaiting"].count), blocks["awaiting"].count.capped) == (
            expected,
            False,
        )
        assert confidential.reference not in html
    _blocks, html_b = start_blocks(client_for(griffier_b))
    assert elsewhere.reference in html_b
    assert all(m.reference not in html_b for m in here)


def test_start_page_counts_above_the_cap_read_meer_dan_but_not_anothers(
    client_for, griffier_a, gemeente_b, three_here_one_elsewhere, cap_of_two
):
    blocks, html = start_blocks(client_for(griffier_a))
    assert (int(blocks["awaiting"].count), blocks["awaiting"].count.capped) == (2, True)
    assert "meer dan 2" in html
    # The first rows are still the first of the whole list, not of the capped part.
    assert len(blocks["awaiting"].rows) == 3

    blocks_b, html_b = start_blocks(client_for(make_user(Role.GRIFFIER, gemeente_b)))
    assert (int(blocks_b["awaiting"].count), blocks_b["awaiting"].count.capped) == (1, False)
    assert "meer dan" not in html_b
