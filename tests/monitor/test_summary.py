"""The precomputed summary (monitor.summary): every aggregate the figures call gives the
same numbers from the summary as counted live, so does every published figure; the sweep
is idempotent, picks up what changed, survives an organisation-month it cannot write, and
the page says how fresh its figures are, counting live when the summary is missing or
stale."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.constants import AangifteStatus
from monitor import report
from monitor.aggregates import dimensions, meldingen, quarters, veiligwonen
from monitor.models import SummaryCell, SummaryMonth, SummaryState
from monitor.selection import Period, Selection
from monitor.summary import STALE_AFTER, Source, source, sweep, using
from monitor.suppression import THRESHOLD
from weerbaar import self_declaration
from weerbaar.constants import Role
from weerbaar.models import Organisation, SweepFailure
from weerbaar.retention import erase_person

from ..factories import make_user
from ..sweep_failures import refused_row
from .conftest import NOW, PERIOD
from .factories import at, melding

pytestmark = pytest.mark.django_db

AGGREGATES = {
    "overview": meldingen.overview,
    "by_month": meldingen.by_month,
    "by_channel": meldingen.by_channel,
    "by_category": meldingen.by_category,
    "by_position": meldingen.by_position,
    "by_quarter": quarters.by_quarter,
    "aangifte": lambda s: quarters.split(s, quarters.AANGIFTE),
    "in_time": lambda s: quarters.split(s, quarters.IN_TIME),
    "in_time_period": lambda s: quarters.split(s, quarters.IN_TIME, by_quarter=False),
    "by_gender": dimensions.by_gender,
    "gender_position": lambda s: dimensions.by_gender_and(s, "position"),
    "gender_online": lambda s: dimensions.by_gender_and(s, "online"),
}


# Every aggregate the year's cube reads (``report.common.per_period``), with ``periods``.
CUBE = {
    "overview": meldingen.overview,
    "by_channel": meldingen.by_channel,
    "by_category": meldingen.by_category,
    "by_position": meldingen.by_position,
    "in_time_period": lambda s, **kw: quarters.split(s, quarters.IN_TIME, by_quarter=False, **kw),
    "by_gender": dimensions.by_gender,
    "gender_position": lambda s, **kw: dimensions.by_gender_and(s, "position", **kw),
    "gender_online": lambda s, **kw: dimensions.by_gender_and(s, "online", **kw),
}
# Counted live only (Veilig Wonen has no summary).
LIVE_CUBE = {
    "vw_urgency": lambda s, **kw: veiligwonen.by_urgency_and_waits(s, **kw)[0],
    "vw_intake": lambda s, **kw: veiligwonen.by_urgency_and_waits(s, **kw)[1]["intake"],
    "vw_advice": lambda s, **kw: veiligwonen.by_urgency_and_waits(s, **kw)[1]["advice"],
    "vw_costs": lambda s, **kw: {
        cell: {f: r[f] for f in ("applications", "measures", "cost")}
        for cell, r in veiligwonen.costs_by_year(s, **kw).items()
    },
}


def period_by_period(aggregate, selection, periods, keyed=True):
    """The aggregate counted once per period, as the cube was before it was one statement,
    keyed like the cube: ((period, group), key), or (period, group) when not ``keyed``
    (the overview)."""
    parts = None
    # The rows end with the cube's last month: the running month is not counted.
    last = max(p.start for p in periods if p.kind == "maand")
    for period in periods:
        found = aggregate(replace(selection.at(period), until=last))
        found = found if isinstance(found, tuple) else (found,)
        parts = parts or tuple({} for _ in found)
        for into, part in zip(parts, found, strict=True):
            if keyed:
                into.update({((period, g), key): n for (g, key), n in part.items()})
            else:
                into.update({(period, g): row for g, row in part.items()})
    return parts if len(parts) > 1 else parts[0]


OVERVIEW = ("total", "people", "aangifte", "escalated", "acknowledged")


def without_zeros(result):
    """An empty period is a row of zeros counted period by period and no row in the cube;
    an overview row's numbers only (live, its group's fields come with it)."""
    if isinstance(result, tuple):
        return result
    return {k: {f: row[f] for f in OVERVIEW} for k, row in result.items() if row["total"]}


def capped(result):
    """The aggregate's numbers, people as far as they are used: compared with the threshold
    (the summary keeps the first THRESHOLD people of a cell, see SummaryCell)."""
    if isinstance(result, tuple):
        counts, people = result
        return counts, {k: min(n, THRESHOLD) for k, n in people.items() if counts.get(k)}
    return {
        group: {
            **{f: row.get(f, 0) for f in ("total", "aangifte", "escalated", "acknowledged")},
            "people": min(row.get("people", 0), THRESHOLD),
        }
        for group, row in result.items()
    }


def live():
    return using(Source(False, NOW))


def summarised():
    return using(Source(True, NOW))


@pytest.fixture
def more(data, gemeente_a, gemeente_b):
    """Besides the hand-counted data: one person behind six meldingen, a confidential
    melding, declared genders (one removed, one reporter erased), a late acknowledgement,
    meldingen in another quarter and in another kind of organisation."""
    wethouder = make_user(Role.OFFICE_HOLDER, gemeente_a, "wethouder")
    self_declaration.declare_gender(wethouder, "vrouw")
    for i in range(6):
        melding(gemeente_a, at(2026, 5, 1 + i), position="wethouder", reporter=wethouder)
    raadslid = make_user(Role.OFFICE_HOLDER, gemeente_b)
    self_declaration.declare_gender(raadslid, "man")
    melding(gemeente_b, at(2026, 1, 12), reporter=raadslid, confidential=True, channel="social")
    melding(gemeente_b, at(2026, 5, 12), reporter=raadslid, categories=("threat", "online"))
    late = melding(gemeente_b, at(2026, 6, 2), reporter=raadslid, ack_after=timedelta(days=9))
    late.ack_deadline = late.submitted_at + timedelta(days=1)
    late.save(update_fields=["ack_deadline"])
    gone = make_user(Role.OFFICE_HOLDER, gemeente_b)
    self_declaration.declare_gender(gone, "anders")
    melding(gemeente_b, at(2026, 2, 3), reporter=gone, aangifte=AangifteStatus.FILED)
    erase_person(gone)
    removed = make_user(Role.OFFICE_HOLDER, gemeente_a)
    self_declaration.declare_gender(removed, "vrouw")
    melding(gemeente_a, at(2026, 3, 9), reporter=removed, channel="")
    self_declaration.declare_gender(removed, "")
    provincie = Organisation.objects.get(code="PV26")
    for i in range(4):
        melding(provincie, at(2026, 4, 3 + i), role=Role.CIVIL_SERVANT, channel="mail")


def selections(gemeente_a, gemeente_b):
    provincie = Organisation.objects.get(code="PV26")
    periods = [
        Period.of_quarter(date(2026, 3, 1)),
        Period.of_month(date(2026, 4, 1)),
        Period(2026),
    ]
    for period in periods:
        yield Selection(period)
        yield Selection(period, kind="gemeente")
        yield Selection(period, province=provincie)
        yield Selection(period, organisation=gemeente_a)
        yield Selection(period, organisation=gemeente_b)


def test_every_aggregate_counts_the_same_from_the_summary_as_live(more, gemeente_a, gemeente_b):
    sweep.refresh(now=NOW)
    assert SummaryCell.objects.exists()
    for selection in selections(gemeente_a, gemeente_b):
        for name, aggregate in AGGREGATES.items():
            with live():
                expected = capped(aggregate(selection))
            with summarised():
                got = capped(aggregate(selection))
            assert got == expected, (name, selection)


def test_the_year_in_one_statement_counts_every_period_as_counted_one_by_one(
    more, gemeente_a, gemeente_b
):
    """The year's cube (its months, quarters and the year) from one statement per figure
    gives every period the numbers it has counted on its own, live and from the summary:
    a quarter's or the year's people are distinct over its own rows, not summed."""
    sweep.refresh(now=NOW)
    periods = Period(2026).cube(NOW.date())
    for selection in selections(gemeente_a, gemeente_b):
        for name, aggregate in CUBE.items():
            with live():
                keyed = name != "overview"
                one_by_one = period_by_period(aggregate, selection, periods, keyed)
                one_by_one = without_zeros(one_by_one)
                with CaptureQueriesContext(connection) as queries:
                    at_once = aggregate(selection, periods=periods)
                assert len(queries) == 1, name
                assert without_zeros(at_once) == one_by_one, (name, selection)
            with summarised():
                with CaptureQueriesContext(connection) as queries:
                    got = aggregate(selection, periods=periods)
                assert len(queries) == 1, name
                assert capped(without_zeros(got)) == capped(one_by_one), (name, selection)
        for name, aggregate in LIVE_CUBE.items():
            with live():
                one_by_one = period_by_period(aggregate, selection, periods)
                assert aggregate(selection, periods=periods) == one_by_one, (name, selection)


def test_a_quarters_people_are_not_the_sum_of_its_months(more, gemeente_a):
    """The wethouder of ``more`` reported six times in May: one person in May, in the
    second quarter and in the year, from the summary as live."""
    sweep.refresh(now=NOW)
    periods = Period(2026).cube(NOW.date())
    selection = Selection(Period(2026), organisation=gemeente_a)
    may, q2 = Period.of_month(date(2026, 5, 1)), Period.of_quarter(date(2026, 5, 1))
    for counted in (live, summarised):
        with counted():
            counts, people = dimensions.by_gender(selection, periods=periods)
        assert counts[((may, ()), "vrouw")] == 6
        assert people[((may, ()), "vrouw")] == 1
        assert people[((q2, ()), "vrouw")] == 1
        assert people[((Period(2026), ()), "vrouw")] == 1


def published(monitor):
    return {f.slug: f.table() for f in monitor.figures()}


def test_every_published_figure_is_the_same_from_the_summary_as_live(more, gemeente_a, gemeente_b):
    sweep.refresh(now=NOW)
    with time_machine.travel(NOW, tick=False):
        for selection in selections(gemeente_a, gemeente_b):
            with live():
                expected = published(report.build(selection))
            with summarised():
                got = published(report.build(selection))
            assert got == expected, selection


def cells():
    return sorted(
        SummaryCell.objects.values_list(
            "organisation_id", "month", "confidential", "dimension", "key", "n", "people"
        )
    )


def test_a_second_run_writes_the_same_rows(more):
    sweep.refresh(now=NOW)
    first = cells()
    sweep.refresh(now=NOW + timedelta(minutes=15))
    sweep.refresh(full=True, now=NOW + timedelta(days=2))
    assert cells() == first
    assert SummaryState.objects.get().refreshed_at == NOW + timedelta(days=2)


def test_a_first_build_larger_than_one_run_carries_on_in_the_next(more, gemeente_b):
    """With no time to spare each run builds the recent months and one more; the page
    reads the summary only once every month is built, and then counts as live."""
    runs = 0
    while SummaryState.objects.filter(refreshed_at__isnull=False).count() == 0:
        runs += 1
        sweep.refresh(now=NOW + timedelta(minutes=runs), budget=timedelta(0))
        assert runs < 20
    months = SummaryMonth.objects.count()
    # Every month from the first melding (December 2025) to June: April to June in every
    # run, March, February, January and December one a run.
    assert months == 7 and runs == 4
    selection = Selection(Period(2026), organisation=gemeente_b)
    for name, aggregate in AGGREGATES.items():
        with live():
            expected = capped(aggregate(selection))
        with summarised():
            assert capped(aggregate(selection)) == expected, name


def test_a_melding_sent_or_changed_since_the_last_run_is_counted_by_the_next(
    data, gemeente_a, gemeente_b
):
    sweep.refresh(now=NOW)
    selection = Selection(Period(2026), organisation=gemeente_b)
    old = melding(gemeente_b, at(2025, 11, 3))
    later = NOW + timedelta(minutes=15)
    with time_machine.travel(later, tick=False):
        melding(gemeente_b, later - timedelta(minutes=5), channel="mail")
        # Acknowledged now, sent in a month no run rebuilds as recent.
        old.acknowledged_at = later
        old.save(update_fields=["acknowledged_at"])
    sweep.refresh(now=later)
    for name, aggregate in AGGREGATES.items():
        with live():
            expected = capped(aggregate(selection))
        with summarised():
            assert capped(aggregate(selection)) == expected, name
    november = Selection(Period.of_month(date(2025, 11, 1)), organisation=gemeente_b)
    with summarised():
        assert meldingen.overview(november)[()]["acknowledged"] == 1


def test_an_organisation_month_that_cannot_be_written_leaves_the_others_written(
    data, gemeente_a, gemeente_b
):
    with refused_row(SummaryCell, "organisation_id", gemeente_b.pk):
        sweep.refresh(now=NOW)
    assert SummaryCell.objects.filter(organisation=gemeente_a).exists()
    assert not SummaryCell.objects.filter(organisation=gemeente_b).exists()
    failures = SweepFailure.objects.open().filter(sweep=sweep.SWEEP)
    assert sorted(failures.values_list("object_id", flat=True)) == [f"{gemeente_b.pk}:2026-04"]
    # Not complete: the page does not read a summary with a hole in it.
    assert SummaryState.objects.get().refreshed_at is None
    later = NOW + timedelta(hours=1)
    sweep.refresh(now=later)  # the refusal is gone and the back-off passed
    assert SummaryCell.objects.filter(organisation=gemeente_b).exists()
    assert not failures.exists()
    assert SummaryState.objects.get().refreshed_at == later


def freshness(client, path="/monitor/"):
    response = client.get(path, PERIOD)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_and_the_report_say_when_the_figures_were_brought_up_to_date(
    data, analyst, client_for
):
    client = client_for(analyst)
    refreshed = NOW - timedelta(minutes=20)  # NOW is 10:00 in Amsterdam
    sweep.refresh(now=refreshed)
    with time_machine.travel(NOW, tick=False):
        page = freshness(client)
        assert "Cijfers bijgewerkt op 15 juni 2026 om 09:40." in page
        assert "Cijfers bijgewerkt op 15 juni 2026 om 09:40." in freshness(
            client, "/monitor/rapport/"
        )
        assert client.get("/monitor/", PERIOD).context["monitor"].source.summary


def test_without_a_fresh_summary_the_figures_are_counted_live_and_the_page_says_so(
    data, analyst, client_for
):
    client = client_for(analyst)
    with time_machine.travel(NOW, tick=False):
        response = client.get("/monitor/", PERIOD)
    assert "Cijfers berekend op 15 juni 2026 om 10:00" in response.content.decode()
    empty = published(response.context["monitor"])
    sweep.refresh(now=NOW)
    stale = NOW + STALE_AFTER + timedelta(minutes=1)
    with time_machine.travel(stale, tick=False):
        response = client_for(analyst).get("/monitor/", PERIOD)
    assert "Cijfers berekend op 15 juni 2026 om 12:01" in response.content.decode()
    assert response.context["monitor"].source.live
    assert published(response.context["monitor"]) == empty


@pytest.mark.parametrize("role", [Role.ANALYST, Role.GRIFFIER])
def test_the_page_reads_the_summary_in_a_fixed_number_of_queries(
    data, gemeente_a, role, user_factory, client_for
):
    org = gemeente_a if role == Role.GRIFFIER else Organisation.objects.get(code="BZK")
    client = client_for(user_factory(role, org))
    sweep.refresh(now=NOW)
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        client.get("/monitor/", PERIOD)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/monitor/", PERIOD)
        print("QUERIES", [q["sql"][:90] for q in queries.captured_queries])
        assert response.context["monitor"].source.summary
        # As many statements as counted live (one per figure for every period of the year's
        # cube at once; the medians, the office holders, Veilig Wonen and the tour are
        # counted live), one for the summary's state and the seats of the rates'
        # denominators, one for the states kept once published (monitor.publication); the
        # budget of tests/performance.
        assert len(queries) <= (30 if role == Role.ANALYST else 19)
        small = len(queries)
        for org in Organisation.objects.filter(kind="gemeente")[:20]:
            melding(org, at(2026, 3, 2), categories=("verbal", "threat"))
        sweep.refresh(now=NOW + timedelta(minutes=1))
        with CaptureQueriesContext(connection) as queries:
            client.get("/monitor/", PERIOD)
        assert len(queries) == small


def test_an_organisation_moved_to_another_province_is_counted_live_until_rebuilt(
    more, gemeente_a, gemeente_b
):
    sweep.refresh(now=NOW)
    with time_machine.travel(NOW, tick=False):
        assert source().summary
        gemeente_b.province = gemeente_a.province
        gemeente_b.save(update_fields=["province"])
        assert source().live
        sweep.refresh(now=NOW)
        assert source().summary
    selection = Selection(Period(2026), province=gemeente_a.province)
    for name, aggregate in AGGREGATES.items():
        with live():
            expected = capped(aggregate(selection))
        with summarised():
            assert capped(aggregate(selection)) == expected, name
