"""The coordinator's start page (issue 25 §2): this week's sessions, counted up to a cap and
listed, are one range of ``session_week_idx`` (not cancelled, by start), not a scan of every
session of every tour: the sessions grow with the years and the tours, a week's do not."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from otwb.constants import SessionStatus
from otwb.models import Session

from .. import db_roles
from ..explain import plan_nodes
from .factories import SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_this_weeks_sessions_read_their_range_not_every_session(
    client_for, coordinator, db_roles_names
):
    """Both statements that read this week's sessions, captured as the page ran, EXPLAINed:
    they read ``session_week_idx`` and never scan the sessions. 3 000 sessions over two
    years beside this week's, committed and ``ANALYZE``d by the table's owner, as the other
    EXPLAIN tests do."""
    now = timezone.now()
    template = SessionFactory(starts_at=now - dt.timedelta(days=800))
    fields = [f.attname for f in Session._meta.concrete_fields if not f.primary_key]
    values = {f: getattr(template, f) for f in fields}
    Session.objects.bulk_create(
        Session(
            **{
                **values,
                "title": f"Sessie {i}",
                "starts_at": now - dt.timedelta(days=760 - i // 4),
                "ends_at": now - dt.timedelta(days=760 - i // 4) + dt.timedelta(hours=3),
                "status": SessionStatus.HELD if i % 7 else SessionStatus.CANCELLED,
            }
        )
        for i in range(3000)
    )
    this_week = SessionFactory(tour=template.tour, starts_at=now + dt.timedelta(minutes=5))
    with db_roles.connect_as(db_roles_names[0], connection.settings_dict) as owner:
        owner.execute("ANALYZE otwb_session")
    client = client_for(coordinator)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("home")).content.decode()
    assert this_week.title in html
    reads = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith("SELECT") and '"otwb_session"."starts_at" <' in q["sql"]
    ]
    assert len(reads) == 2, [q["sql"][:200] for q in ctx.captured_queries]
    for read in reads:
        nodes = plan_nodes(read)
        week = [n for n in nodes if n.get("Index Name") == "session_week_idx"]
        assert week, nodes
        assert not [
            n
            for n in nodes
            if n["Node Type"] == "Seq Scan" and n["Relation Name"] == "otwb_session"
        ], nodes
