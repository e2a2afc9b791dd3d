"""The benchmark's pages run a fixed number of queries whatever the amount of data: the
count on tiny load data stays within the page's budget and does not change when the data
triples. (Times are measured by ``manage.py bench``, never asserted.)"""

from datetime import date

import pytest
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from guardian.shortcuts import assign_perm

from incidents.models import (
    AftercareAction,
    Attachment,
    InternalNote,
    Melding,
    Message,
    PerpetratorAction,
)
from incidents.views import case_sections
from monitor import summary
from monitor.summary import sweep as summary_sweep
from perf.bench import actors, pages
from perf.bench.sessions import logged_in_client
from veiligwonen.models import Application
from veiligwonen.models import Document as VWDocument
from veiligwonen.models import Message as VWMessage

from .conftest import SCALE

# Budget per page: the portal's per-request overhead is 1 query (the user with its memberships
# and the unread count, weerbaar.backends.auth) and the session from the cache, the rest is
# the page's own work.
# The target is 12 for the working pages; where a budget is above it, docs/performance.md
# says why.
BUDGET = {
    # The list, then its reporters and assignees (one query) and organisations (one): two
    # trivial lookups cost PostgreSQL less than planning the list with three joins.
    "triage dashboard": 5,
    "triage dashboard, filtered": 6,
    "triage dashboard, last page": 5,
    # The dashboard's, plus the count of what the search found and its audit line
    # (docs/search.md); the tokens are a subquery of the list's own queries.
    "triage search": 7,
    # The worst case, a case with rows in every list; one whose often empty lists are empty
    # skips their queries. The timeline, notes and messages are one query whatever the case
    # holds (case_history). One more (an UPDATE) on the visit after a new message: its
    # "Nieuw bericht" is read by opening the case. The follow-up sections are closed
    # (case_sections): their lists are not read, 12 → 10 in the worst case, now 9 (the
    # tenth when the OTWB's vertrouwenspersonen are among who may be assigned).
    "case page (triager)": 10,
    # The same case with every follow-up section open, as the whole page was before; and
    # one section as the page's script fetches it: session and user, the case with its
    # flags, the audit line (the aangifte comes with the case).
    "case page, every section open": 12,
    "case page section: aangifte": 4,
    "reporter's list": 4,
    "file a melding (POST)": 50,
    "Veilig Wonen queue": 5,
    "Veilig Wonen queue search": 6,  # the queue's and the search's audit line
    # Session and user with memberships, the application with its people and advice, the
    # audit line, measures, scan findings, documents, messages with authors and read state,
    # the timeline; the read marker's upsert when something was new (the worst case here).
    "Veilig Wonen case page": 8,
    # Session and user, the session, the best trainers judged, sorted and cut in one query
    # (otwb/planner.py), the session's assignments.
    "OTWB planner": 4,
    "OTWB coverage": 7,
    # Session and user, the trajecten with organisation, province and tour, their count,
    # the filter form's tours and provinces; with a search, its audit line.
    "OTWB trajecten": 5,
    "OTWB trajecten search": 6,
    # A report, not a working page: 12 for the figures by month, category, channel, position,
    # province and follow-up, Veilig Wonen and the tour; 9 more since issue 23 §1 for the
    # gender tables, office holders in force (the rates' denominators) and the quarters; 1
    # since issue 23 §4 for the summary's state, which decides whether the counts come from
    # the precomputed summary (one statement per figure, as many as counted live) or live.
    # Since issue 23 §2 (fixed calendar periods, one protected cube per year) every figure is
    # counted for each period of the selected year that has begun — up to 12 months, 4
    # quarters and the year — so that a cell hidden in one period is hidden in every period
    # it could be differenced from; each figure counts all of them in one statement
    # (grouping sets, monitor.aggregates.cube; 185 before): session and user, the summary's
    # state, 8 summary statements (overview, position, three gender tables, category,
    # channel, in time), the medians (time to acknowledgement; per quarter, one), office
    # holders, Veilig Wonen's applications, measures and waits (2); and the reference table
    # of seats for the rates' denominators (issue 23 §1, weerbaar.SeatCount); and the
    # states of cells kept once published (docs/monitor.md finding 6, monitor.publication:
    # one statement per scope and year, more only the first time a period is published).
    "monitor main page": 19,
    # The same for the whole country as a BZK analyst (192 before): the tour's figures and
    # the per-province table on top, the organisations' kinds and provinces, and for the
    # rates the organisations whose seats are known beside those counted by membership.
    "monitor national page": 30,
    # Session and user, memberships, then the organisations with profiles and texts, the
    # protocols' routes, the memberships in force grouped, and the form's provinces.
    "readiness, national": 12,
    # Start pages (issue 21 §1): session and user, the waiting role requests, then each
    # panel: a reporter's meldingen and protocol text (2); a triager's counts-and-first-ids
    # and those rows (2), the griffier's or secretaris' readiness checklist kept in the
    # cache (none; 4 when a change has just forgotten it); the coordinator's three lists
    # and their totals counted up to a cap (one statement);
    # intake's counts (one statement) and list; an adviser's or BVA's list.
    "start page (raadslid)": 5,
    "start page (griffier)": 5,
    "start page (secretaris)": 5,
    "start page (voorzitter)": 5,
    "start page (vertrouwenspersoon)": 5,
    "start page (coordinator)": 7,
    "start page (intake)": 5,
    "start page (adviser)": 4,
    "start page (bva)": 4,
    # Session and user, the organisation chosen, the roles held and the open invitations of
    # every address on the list (one query each), and the form's organisation choices.
    "bulk_invite_preview_45": 5,
    "bulk_invite_preview_1000": 5,
    # The REST API as a client of the triager's organisation (tests/api/test_queries.py
    # holds it to the page budget of 12 on small data): measured 4 each, whatever the page
    # size, as the list and the detail read the token and client, the meldingen with what
    # they show, and write one statement of audit lines.
    "API meldingen list": 4,
    "API meldingen list, filtered, 100 a page": 4,
    "API melding detail": 4,
    # The timeline: token and client, the melding in scope, its lines with their actors,
    # the audit statement. The organisations: token and client, the page of organisations.
    "API melding tijdlijn": 5,
    "API organisaties list": 3,
    # One aangifte (not a list): token and client, the melding in scope with its aangifte,
    # the audit line.
    "API aangifte": 4,
    # Each as the client that reads it (perf/bench/endpoints.py), measured on load data:
    # the token, the client, then the list's own work. Its webhooks (not paginated): the
    # subscriptions.
    "API webhooks list": 3,
    # BZK's intake system: the page of applications (the queue position is a subquery of
    # it), then one statement of audit lines; the measures likewise.
    "API Veilig Wonen aanvragen list": 4,
    "API Veilig Wonen aanvragen, waiting": 4,
    "API Veilig Wonen maatregelen list": 4,
    # The OTWB's planning system: the sessions and their organisations (prefetched); the
    # registrations (with names) and their audit statement.
    "API OTWB sessies list": 4,
    "API OTWB aanmeldingen list": 4,
    # Every organisation's readiness: the organisations and the page, the protocols'
    # routes, the memberships in force grouped by role and by person.
    "API paraatheid list": 7,
}


def _add_documents_and_messages(cast, n):
    """``n`` documents (each kind in turn) and ``n`` messages, every other one by the
    applicant (new for the intake officer), on the benchmark's application."""
    application = Application.objects.get(pk=cast.application_id)
    kinds = ("scan_report", "quote", "invoice")
    for i in range(n):
        VWDocument.objects.create(
            application=application,
            kind=kinds[i % len(kinds)],
            uploaded_by=cast.intake,
            filename=f"document-{i}.pdf",
            content_type="application/pdf",
            size=1,
            data=b"x",
        )
        author = application.applicant if i % 2 == 0 else cast.intake
        VWMessage.objects.create(application=application, author=author, body=f"Testbericht {i}")
    return application


def _monitor_summary_current():
    """The monitor's summary and its national snapshots current, built to the end as the
    sweep keeps them: the seeding's catch-up builds them within the sweep's time budget
    (``monitor.summary.sweep.BUDGET``), which a slow run exhausts, and the page then
    counts live (29 queries) where it reads the snapshot (3), or builds from the summary
    (26) where the snapshot is not there."""
    summary_sweep.refresh(full=True)
    assert summary.source().summary


def _counts(cast):
    """Every page's count, each from the same state: empty caches (the per-process
    fragment cache would otherwise hold what earlier tests and pages rendered)."""
    cache.clear()
    caches["fragments"].clear()
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
    cast = actors.cast()
    # The case page's lists have rows: their count must not depend on how many.
    _add_documents_and_messages(cast, 3)
    _monitor_summary_current()
    small = _counts(cast)
    assert {"triage dashboard", "reporter's list", "Veilig Wonen queue"} <= set(small)
    over = {name: n for name, n in small.items() if n > BUDGET[name]}
    assert not over, f"over budget: {over}"
    call_command("seed_load", scale=SCALE * 3, verbosity=0, no_sweeps=True)
    _monitor_summary_current()
    # The same people and case among three times the data: the case page's count depends
    # on which of the case's lists have rows, not on how much data there is.
    grown = _counts(cast)
    assert {name: grown.get(name) for name in small} == small


@pytest.mark.django_db(transaction=False)
def test_case_page_with_rows_in_every_list_stays_within_its_budget(load_data, db):
    cast = actors.cast()
    melding = Melding.objects.get(pk=cast.melding_id)
    who = {"melding_id": melding.pk}
    AftercareAction.objects.create(
        **who,
        kind="talk",
        date=date.today(),
        recorded_by=cast.triager,
        note="Nazorg afgesproken met de melder",
    )
    PerpetratorAction.objects.create(
        **who, kind="warning_letter", date=date.today(), recorded_by=cast.triager
    )
    InternalNote.objects.create(
        **who, author=cast.triager, body="Een interne notitie van de griffie"
    )
    Message.objects.create(**who, author=cast.triager, body="Een bericht aan de melder")
    Attachment.objects.create(
        **who,
        uploaded_by=cast.triager,
        filename="a.pdf",
        content_type="application/pdf",
        size=1,
        data=b"x",
    )
    assign_perm("view_melding", cast.raadslid, melding)
    client = logged_in_client(cast.triager)
    url = next(s for s in pages.SCENARIOS if s.name == "case page (triager)").url(cast)
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    # Each list shows its row: the case's flag for it (OFTEN_EMPTY) was true. The closed
    # follow-up sections say that they hold something, without reading it.
    shown = ("Een interne notitie van de griffie", "Een bericht aan de melder", "a.pdf")
    for text in (*shown, "Er is nazorg vastgelegd.", "Gedeeld met een of meer personen."):
        assert text in page
    assert "Nazorg afgesproken met de melder" not in page
    assert len(ctx.captured_queries) <= BUDGET["case page (triager)"]
    closed = len(ctx.captured_queries)

    every = "&".join(f"open={section.id}" for section in case_sections.FOLLOW_UP)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{url}?{every}")
    page = response.content.decode()
    for text in (*shown, "Nazorg afgesproken met de melder", "Waarschuwingsbrief"):
        assert text in page
    assert str(cast.raadslid) in page
    assert len(ctx.captured_queries) <= BUDGET["case page, every section open"]
    # The follow-up lists read together (one query) and the sharing's people (one).
    assert len(ctx.captured_queries) == closed + 2


@pytest.mark.django_db(transaction=False)
def test_each_follow_up_section_of_the_case_page_is_a_few_queries(load_data, db):
    """Session and user, the case with its flags, the audit line, and the section's own
    rows (none for letters and the aangifte, which comes with the case)."""
    cast = actors.cast()
    melding = Melding.objects.get(pk=cast.melding_id)
    AftercareAction.objects.create(
        melding=melding, kind="talk", date=date.today(), recorded_by=cast.triager
    )
    assign_perm("view_melding", cast.raadslid, melding)
    client = logged_in_client(cast.triager)
    counts = {}
    for section in case_sections.FOLLOW_UP:
        url = reverse("incidents:case_section", args=[melding.pk, section.id])
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, headers={"X-Requested-With": "fetch"})
        assert response.status_code == 200
        counts[section.id] = len(ctx.captured_queries)
    # Each within the budget of the one the benchmark measures.
    assert max(counts.values()) <= BUDGET["case page section: aangifte"], counts


def _vw_case_page_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.django_db(transaction=False)
def test_vw_case_page_count_is_the_same_for_1_and_10_documents_and_messages(load_data, db):
    cast = actors.cast()
    client = logged_in_client(cast.intake)
    url = next(s for s in pages.SCENARIOS if s.name == "Veilig Wonen case page").url(cast)
    client.get(url)  # warm up: the intake officer has read the thread so far
    counts = {}
    for total, add in ((1, 1), (10, 9)):
        _add_documents_and_messages(cast, add)
        # With new messages (the marker is written), then without (it is not).
        fresh, html = _vw_case_page_queries(client, url)
        assert html.count("Testbericht ") == total
        assert "vw-badge--new" in html
        read, _html = _vw_case_page_queries(client, url)
        counts[total] = (fresh, read)
    assert counts[1] == counts[10], counts
    fresh, read = counts[10]
    assert read == fresh - 1  # the read marker's upsert, only when something was new
    assert fresh <= BUDGET["Veilig Wonen case page"]
