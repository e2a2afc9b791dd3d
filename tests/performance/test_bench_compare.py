"""``bench --databases``: the working pages on two load databases in one run, side by side,
with the growth of each page and whether it meets the targets. (Times are printed, never
asserted.)"""

import io
import json
import os
import time
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection, connections

from incidents.models import Melding
from perf import loadgen
from perf.bench import compare, pages
from perf.bench.stats import Result
from tests.conftest import load_organisations
from weerbaar.models import AuditEvent, Organisation

from .conftest import SCALE

# The working pages issue 25 §2 names: a flat page at ten times national scale.
NAMED = {
    "triage dashboard",
    "triage dashboard, filtered",
    "case page (triager)",
    "reporter's list",
    "Veilig Wonen queue",
    "Veilig Wonen case page",
    "OTWB planner",
    "OTWB coverage",
}


def test_the_comparison_covers_every_working_page_the_issue_names():
    benchmarked = {s.name for s in pages.SCENARIOS}
    start_pages = {name for name in benchmarked if name.startswith("start page (")}
    assert start_pages
    assert NAMED | start_pages <= set(pages.WORKING_PAGES) <= benchmarked


def _page(p50, p95=None, queries=5):
    return Result("page", "x", 30, p50, p95 or p50, queries)


def test_a_page_meets_the_targets_only_when_fast_small_and_flat_at_the_largest_scale():
    assert compare.verdict([_page(10), _page(14)]) == (1.4, [])
    # Growth alone fails a page that is still fast.
    assert compare.verdict([_page(5), _page(10)]) == (2.0, ["ratio"])
    assert compare.verdict([_page(20), _page(26, 61, queries=13)]) == (
        1.3,
        ["p50", "p95", "queries"],
    )
    # Only the largest scale is held to the absolute targets.
    assert compare.verdict([_page(40, 90, queries=20), _page(24)]) == (0.6, [])


def _admin_connection():
    """As the DATABASE_URL user (the test connection's role may not create databases)."""
    url = urlsplit(os.environ["DATABASE_URL"])
    return psycopg.connect(urlunsplit(url._replace(path="/postgres")), autocommit=True)


def _admin(*statements):
    with _admin_connection() as conn:
        for sql in statements:
            conn.execute(sql)


def _copy(name, copy):
    """Copy the database ``name`` as ``copy``. A template may have no other sessions: the
    connections earlier tests' threads left open (idle, CONN_MAX_AGE) are ended first, and
    their going is waited for."""
    with _admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        for _attempt in range(50):
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            try:
                conn.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
                return
            except psycopg.errors.ObjectInUse:
                time.sleep(0.2)
        raise AssertionError(f"{name} stayed in use: it cannot be copied")


@pytest.fixture
def two_databases(transactional_db):
    """The test database with load data, and a copy of it (a database can only be
    compared with another: a page's open transaction on one would lock out the other).
    An earlier transactional test may have emptied the reference organisations: they are
    loaded again first."""
    if not Organisation.objects.filter(code="OTWB").exists():
        load_organisations()
    loadgen.seed(loadgen.Plan(scale=SCALE, log=lambda msg: None))
    name = connection.settings_dict["NAME"]
    copy = f"{name}_compare"
    connection.close()
    _copy(name, copy)
    yield name, copy
    # Every connection of this thread closed first: one the bench left on the copy would be
    # ended by the DROP, one ended by _copy above must not be reused by the flush that
    # follows this fixture.
    connections.close_all()
    _admin(f'DROP DATABASE "{copy}" WITH (FORCE)')


def test_one_run_prints_both_databases_side_by_side_and_changes_neither(two_databases, tmp_path):
    before = (Melding.objects.count(), AuditEvent.objects.count())
    out, path = io.StringIO(), tmp_path / "bench.json"

    call_command(
        "bench",
        databases=",".join(two_databases),
        scale_label="1,10",
        repeat=2,
        no_vacuum=True,
        json=str(path),
        stdout=out,
    )

    lines = out.getvalue().splitlines()
    header = next(line for line in lines if line.startswith("| page |"))
    assert "p50 ms 1 | p95 ms 1 | queries 1 | p50 ms 10" in header
    assert header.endswith("| p50 10/1 | meets |")
    rows = {line.split(" | ")[0][2:]: line for line in lines if line.startswith("| ")}
    assert {"triage dashboard", "case page (triager)", "start page (griffier)"} <= set(rows)
    comparison = json.loads(path.read_text())["runs"][-1]["comparison"]
    assert [s["label"] for s in comparison["scales"]] == ["1", "10"]
    dashboard = next(p for p in comparison["pages"] if p["name"] == "triage dashboard")
    assert set(dashboard["results"]) == {"1", "10"}
    assert dashboard["results"]["1"]["runs"] == dashboard["results"]["10"]["runs"] == 2
    assert dashboard["results"]["10"]["queries"] == dashboard["results"]["1"]["queries"]
    # Whatever the pages wrote (audit lines of the case page, sessions) was rolled back.
    assert (Melding.objects.count(), AuditEvent.objects.count()) == before

    # --json - prints the comparison as JSON alone.
    out = io.StringIO()
    call_command(
        "bench",
        databases=",".join(two_databases),
        scale_label="1,10",
        repeat=1,
        no_vacuum=True,
        only=["reporter's list"],
        json="-",
        stdout=out,
        stderr=io.StringIO(),
    )
    printed = json.loads(out.getvalue())
    assert [p["name"] for p in printed["pages"]] == ["reporter's list"]
    assert printed["targets"] == {"p50": 25, "p95": 60, "queries": 12, "ratio": 1.5}
