"""An adviser's start page (issue 25 §2): the advisers are a national team, so each one's
open applications grow with the scheme. The first rows and the count up to a cap come in one
statement from the adviser's range of an index of open applications (``vw_adviser_open_idx``),
not from a count of every application they advised on."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from veiligwonen.constants import Status
from veiligwonen.models import Application
from weerbaar import counting

from .. import db_roles
from ..explain import plan_nodes
from .factories import submit

pytestmark = pytest.mark.django_db

PANEL = "veiligwonen/includes/start_queue.html"


def adviser_panel(client):
    response = client.get(reverse("home"))
    for start in response.context["start_panels"]:
        if start.template == PANEL:
            return start.panel, response.content.decode()
    raise AssertionError("no queue panel")


def advised(cast, n, adviser, status=Status.SCAN_PLANNED):
    apps = [submit(cast) for _ in range(n)]
    for days, app in enumerate(apps):
        Application.objects.filter(pk=app.pk).update(
            adviser=adviser,
            status=status,
            submitted_at=timezone.now() - timedelta(days=30 - days),
        )
    return apps


def test_open_cases_above_the_cap_read_meer_dan_with_the_oldest_rows(client_for, cast, monkeypatch):
    mine = advised(cast, 3, cast.adviser)
    advised(cast, 1, cast.adviser, status=Status.COMPLETED)
    advised(cast, 2, cast.other_adviser)
    panel, _html = adviser_panel(client_for(cast.adviser))
    assert (int(panel.counts[0].count), getattr(panel.counts[0].count, "capped", False)) == (
        3,
        False,
    )
    assert [a.pk for a in panel.rows] == [a.pk for a in mine]

    monkeypatch.setattr(counting, "CAP", 2)
    panel, html = adviser_panel(client_for(cast.adviser))
    assert (int(panel.counts[0].count), panel.counts[0].count.capped) == (2, True)
    assert "meer dan 2" in html
    assert [a.pk for a in panel.rows] == [a.pk for a in mine]


@pytest.mark.django_db(transaction=True)
def test_the_list_and_its_count_read_the_advisers_open_range(
    client_for, cast, db_roles_names, monkeypatch
):
    """The page's read, captured as it ran, EXPLAINed: the adviser's range of the partial
    index, never a scan of the applications. As in the other EXPLAIN tests the rows are
    committed (a transactional test) and ``ANALYZE``d by the table's owner: 2 000 completed
    applications of this adviser beside 40 open ones, and a cap of 20 (as at national scale,
    more open cases than the cap)."""
    monkeypatch.setattr(counting, "CAP", 20)
    template = advised(cast, 1, cast.adviser, status=Status.COMPLETED)[0]
    fields = [f.attname for f in Application._meta.concrete_fields if not f.primary_key]
    values = {f: getattr(template, f) for f in fields}
    Application.objects.bulk_create(
        Application(**{**values, "submitted_at": template.submitted_at - timedelta(hours=i)})
        for i in range(2000)
    )
    advised(cast, 40, cast.adviser)
    with db_roles.connect_as(db_roles_names[0], connection.settings_dict) as owner:
        owner.execute("ANALYZE veiligwonen_application")
    client = client_for(cast.adviser)
    with CaptureQueriesContext(connection) as ctx:
        panel, _html = adviser_panel(client)
    assert (int(panel.counts[0].count), panel.counts[0].count.capped) == (20, True)
    reads = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "veiligwonen_application"' in q["sql"]
    ]
    assert len(reads) == 1
    nodes = plan_nodes(reads[0])
    assert "vw_adviser_open_idx" in {n.get("Index Name") for n in nodes}, nodes
    assert not [n for n in nodes if n["Node Type"] in ("Seq Scan", "Sort")], nodes


@pytest.mark.django_db(transaction=True)
def test_the_queues_adviser_capacity_reads_the_role_not_every_membership(
    cast, db_roles_names, gemeente_a
):
    """The queue's expected waits read the advisers' capacity: the memberships of that
    national role through ``membership_role_idx``, never a scan of every membership (there
    are as many as the organisations have people). 3 000 raadsleden beside the advisers,
    committed and ``ANALYZE``d by the table's owner."""
    from veiligwonen.queue import adviser_capacity
    from weerbaar.constants import Position, Role
    from weerbaar.models import User

    users = User.objects.bulk_create(
        User(email=f"raadslid{i}@plan.example", full_name=f"Raadslid {i}") for i in range(3000)
    )
    # Written as the load data is (weerbaar.memberships refuses anything else).
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO weerbaar_membership (role, position, valid_from, user_id,"
            " organisation_id, former_after_end) SELECT %s, %s, now(), u, %s, false"
            " FROM unnest(%s::bigint[]) AS u",
            [Role.OFFICE_HOLDER, Position.RAADSLID, gemeente_a.pk, [u.pk for u in users]],
        )
    with db_roles.connect_as(db_roles_names[0], connection.settings_dict) as owner:
        owner.execute("ANALYZE weerbaar_membership")
    with CaptureQueriesContext(connection) as ctx:
        assert adviser_capacity() > 0
    (read,) = [q["sql"] for q in ctx.captured_queries]
    nodes = plan_nodes(read)
    assert "membership_role_idx" in {n.get("Index Name") for n in nodes}, nodes
    assert not [
        n
        for n in nodes
        if n["Node Type"] == "Seq Scan" and n["Relation Name"] == "weerbaar_membership"
    ], nodes


@pytest.mark.django_db(transaction=True)
def test_the_bvas_reviews_read_the_under_review_range(
    client_for, cast, db_roles_names, monkeypatch
):
    """The BVA's start page: the advice under review, oldest first, and its count up to the
    cap, from ``vw_under_review_idx``; 2 000 completed applications beside 40 under review,
    committed and ``ANALYZE``d by the table's owner, a cap of 20."""
    monkeypatch.setattr(counting, "CAP", 20)
    template = advised(cast, 1, cast.adviser, status=Status.COMPLETED)[0]
    fields = [f.attname for f in Application._meta.concrete_fields if not f.primary_key]
    values = {f: getattr(template, f) for f in fields}
    Application.objects.bulk_create(
        Application(**{**values, "submitted_at": template.submitted_at - timedelta(hours=i)})
        for i in range(2000)
    )
    reviews = advised(cast, 40, cast.adviser, status=Status.UNDER_REVIEW)
    with db_roles.connect_as(db_roles_names[0], connection.settings_dict) as owner:
        owner.execute("ANALYZE veiligwonen_application")
    client = client_for(cast.bva)
    with CaptureQueriesContext(connection) as ctx:
        panel, _html = adviser_panel(client)
    assert (int(panel.counts[0].count), panel.counts[0].count.capped) == (20, True)
    assert [a.pk for a in panel.rows] == [a.pk for a in reviews[:5]]
    reads = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "veiligwonen_application"' in q["sql"]
    ]
    assert len(reads) == 1
    nodes = plan_nodes(reads[0])
    assert "vw_under_review_idx" in {n.get("Index Name") for n in nodes}, nodes
    assert not [
        n
        for n in nodes
        if n["Node Type"] == "Seq Scan" and n["Relation Name"] == "veiligwonen_application"
    ], nodes
