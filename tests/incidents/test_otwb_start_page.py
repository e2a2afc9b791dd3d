"""The OTWB vertrouwenspersoon's start page (issue 25 §2): its two blocks, the open
confidential cases and the nazorg to do, are counted up to a cap like the triagers' blocks,
each from an index of its own in the block's order, so the page reads the cap's entries of
each block, not every open case the OTWB is involved in, nationally."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents.constants import Status
from incidents.models import Melding
from weerbaar import counting
from weerbaar.models import Organisation

from .. import db_roles
from ..explain import plan_nodes
from .factories import make_melding

pytestmark = pytest.mark.django_db


def start_blocks(client):
    response = client.get(reverse("home"))
    for start in response.context["start_panels"]:
        if start.template == "incidents/includes/start_triage.html":
            return {b.key: b for b in start.panel.blocks}, response.content.decode()
    raise AssertionError("no triage panel")


def test_confidential_cases_above_the_cap_read_meer_dan_with_the_newest_rows(
    client_for, raadslid_a, vertrouwenspersoon, monkeypatch
):
    meldingen = [make_melding(raadslid_a, confidential=True) for _ in range(3)]
    make_melding(raadslid_a)  # to the griffier: not the OTWB's
    blocks, _html = start_blocks(client_for(vertrouwenspersoon))
    assert (int(blocks["confidential"].count), blocks["confidential"].count.capped) == (3, False)

    monkeypatch.setattr(counting, "CAP", 2)
    blocks, html = start_blocks(client_for(vertrouwenspersoon))
    assert (int(blocks["confidential"].count), blocks["confidential"].count.capped) == (2, True)
    assert "meer dan 2" in html
    # Newest first, the first rows of the whole list, not of the capped part.
    assert [r["pk"] for r in blocks["confidential"].rows] == [m.pk for m in meldingen[::-1]]


def test_nazorg_to_do_counts_the_acknowledged_cases_a_week_old_without_nazorg(
    client_for, raadslid_a, vertrouwenspersoon
):
    old, recent = (make_melding(raadslid_a, confidential=True) for _ in range(2))
    Melding.objects.filter(pk=old.pk).update(
        status=Status.IN_TRIAGE, acknowledged_at=timezone.now() - timedelta(days=10)
    )
    Melding.objects.filter(pk=recent.pk).update(
        status=Status.IN_TRIAGE, acknowledged_at=timezone.now() - timedelta(days=1)
    )
    blocks, _html = start_blocks(client_for(vertrouwenspersoon))
    assert int(blocks["aftercare_due"].count) == 1
    assert [r["pk"] for r in blocks["aftercare_due"].rows] == [old.pk]


def _history(closed, open_cases, confidential, elsewhere):
    """Years of closed meldingen the OTWB was involved in, the open ones escalated to it,
    a few confidential ones, and the open cases of the organisations (``elsewhere``) it is
    not involved in, as the load data has them."""
    org = Organisation.objects.get(code="GM0344")
    long_ago = timezone.now() - timedelta(days=60)

    hours = iter(range(10**6))

    def melding(status, route, otwb_involved=True, **extra):
        at = long_ago - timedelta(hours=next(hours))
        extra = {k: at if v is long_ago else v for k, v in extra.items()}
        return Melding(
            organisation=org,
            route_organisation=org,
            route=route,
            reporter_role="office_holder",
            status=status,
            otwb_involved=otwb_involved,
            submitted_at=at,
            **extra,
        )

    Melding.objects.bulk_create(
        [melding(Status.CLOSED, "chair") for _ in range(closed)]
        + [
            melding(Status.IN_FOLLOW_UP, "chair", acknowledged_at=long_ago)
            for _ in range(open_cases)
        ]
        + [melding(Status.SUBMITTED, "confidential") for _ in range(confidential)]
        + [
            melding(Status.IN_FOLLOW_UP, "griffier", otwb_involved=False, acknowledged_at=long_ago)
            for _ in range(elsewhere)
        ]
    )


@pytest.mark.django_db(transaction=True)
def test_the_blocks_read_their_own_indexes_not_every_open_otwb_case(
    client_for, vertrouwenspersoon, db_roles_names, monkeypatch
):
    """The start page's read of the blocks, captured as the page ran, EXPLAINed: each block
    reads its own partial index, in its order, and the meldingen table is never scanned. As
    in the other EXPLAIN tests the rows are committed (a transactional test) and
    ``ANALYZE``d by the table's owner, so the plan is chosen on the statistics production
    has: 3 000 closed cases of history beside 600 open ones, and 3 000 open cases the OTWB
    is not involved in. The cap is lowered to 100 so that, as at national scale, a block
    holds more than the cap."""
    monkeypatch.setattr(counting, "CAP", 100)
    _history(closed=3000, open_cases=600, confidential=30, elsewhere=3000)
    with db_roles.connect_as(db_roles_names[0], connection.settings_dict) as owner:
        owner.execute("ANALYZE incidents_melding")
    client = client_for(vertrouwenspersoon)
    with CaptureQueriesContext(connection) as ctx:
        blocks, _html = start_blocks(client)
    assert (int(blocks["confidential"].count), blocks["confidential"].count.capped) == (30, False)
    assert (int(blocks["aftercare_due"].count), blocks["aftercare_due"].count.capped) == (100, True)
    reads = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT ARRAY(")]
    assert len(reads) == 1
    nodes = plan_nodes(reads[0])
    indexes = {n.get("Index Name") for n in nodes}
    assert {"melding_otwb_confidential", "melding_otwb_aftercare"} <= indexes, nodes
    assert not [
        n
        for n in nodes
        if n["Node Type"] == "Seq Scan" and n["Relation Name"] == "incidents_melding"
    ], nodes
