"""The medians and percentiles of an organisation's own figures as the summary sweep stores
them (monitor.summary.durations): the same numbers as counted live for every organisation
and period a page can show, read only for the viewer's own organisation, counted live
whenever the stored ones are missing, out of date or unreadable, and one organisation that
cannot be written leaves the others written."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.constants import Status
from incidents.models import Melding
from monitor import report
from monitor.aggregates import meldingen, quarters
from monitor.models import SummaryDuration, SummaryState
from monitor.selection import MONTH, QUARTER, Period, Selection
from monitor.summary import STALE_AFTER, durations, sweep
from weerbaar.constants import Role
from weerbaar.models import Organisation, SweepFailure

from ..sweep_failures import refused_row
from . import test_summary
from .conftest import NOW, PERIOD
from .factories import at, melding
from .test_snapshot import everything

pytestmark = pytest.mark.django_db

more = test_summary.more  # the varied data of the summary's tests, as a fixture here
live, summarised = test_summary.live, test_summary.summarised


@pytest.fixture
def waits(more, gemeente_a, gemeente_b):
    """Acknowledgements and closings after uneven times (microseconds included, so a
    median between two middle values is interpolated) in every month of 2026 up to the
    running June and in December 2025, for Utrecht, Groningen and the province; some never
    acknowledged or closed; a confidential and a withdrawn melding that own figures leave
    out."""
    provincie = Organisation.objects.get(code="PV26")
    for o, organisation in enumerate((gemeente_a, gemeente_b, provincie)):
        for month in (1, 2, 3, 4, 5, 6):
            for i in range(3 + (month + o) % 5):
                sent = at(2026, month, 1 + i, 8 + o)
                ack = timedelta(hours=1 + (7 * i + month + o) % 13, microseconds=37 * i + month)
                m = melding(organisation, sent, ack_after=None if i == 2 else ack)
                if i % 3 != 1:
                    m.closed_at = sent + timedelta(days=2 + (5 * i + o) % 11, seconds=i)
                    m.save(update_fields=["closed_at"])
        for i in range(6):
            melding(organisation, at(2025, 12, 1 + i), ack_after=timedelta(hours=i, minutes=o))
    melding(gemeente_a, at(2026, 3, 4), confidential=True, ack_after=timedelta(days=40))
    melding(gemeente_a, at(2026, 3, 5), status=Status.WITHDRAWN, ack_after=timedelta(days=50))


def own_selections(gemeente_a, gemeente_b):
    """Every kind of period an own page shows: the year so far, a closed quarter, the
    running quarter, a closed month, the last ended month, and a past year."""
    provincie = Organisation.objects.get(code="PV26")
    periods = (
        Period(2026),
        Period.of_quarter(date(2026, 1, 1)),
        Period.of_quarter(date(2026, 5, 1)),
        Period.of_month(date(2026, 3, 1)),
        Period.of_month(date(2026, 5, 1)),
        Period(2025),
        Period.of_quarter(date(2025, 12, 1)),
    )
    for organisation in (gemeente_a, gemeente_b, provincie):
        for period in periods:
            yield Selection(period, organisation=organisation).published()


def statistics(selection):
    return (
        meldingen.ack_times(selection),
        quarters.times(selection, per=QUARTER),
        quarters.times(selection, per=MONTH),
    )


def without_start(result):
    """The live rows carry the period's start as a field as well: the figures read the rest."""
    ack, *per = result
    return (
        ack,
        *[{k: {f: row[f] for f in quarters.TIMES} for k, row in rows.items()} for rows in per],
    )


def test_the_stored_medians_are_the_ones_counted_live(waits, gemeente_a, gemeente_b):
    sweep.refresh(now=NOW)
    # Every organisation has its row, one without meldingen an empty one.
    assert SummaryDuration.objects.filter(year=2026).count() == Organisation.objects.count()
    quiet = Organisation.objects.exclude(pk__in=Melding.objects.values("organisation")).first()
    with time_machine.travel(NOW, tick=False):
        checked = 0
        selections = [
            *own_selections(gemeente_a, gemeente_b),
            Selection(Period(2026), organisation=quiet).published(),
        ]
        for selection in selections:
            with live():
                expected = without_start(statistics(selection))
            with summarised():
                assert durations.read(selection) is not None, selection
                with CaptureQueriesContext(connection) as queries:
                    got = without_start(statistics(selection))
                assert not any("PERCENTILE" in q["sql"] for q in queries), selection
            assert got == expected, selection
            checked += sum(1 for rows in expected[1:] for row in rows.values() if row["closed"])
        assert checked > 20  # the data do have closed meldingen to take a median of


def test_every_published_own_figure_is_the_same_from_the_stored_medians(
    waits, gemeente_a, gemeente_b
):
    """Shown and hidden alike: a median is shown only where its count is, with five
    meldingen behind it, whichever way it was counted."""
    sweep.refresh(now=NOW)
    with time_machine.travel(NOW, tick=False):
        shown = 0
        for selection in own_selections(gemeente_a, gemeente_b):
            with live():
                expected = everything(report.build(selection))
            with summarised():
                monitor = report.build(selection)
            assert everything(monitor) == expected, selection
            ack = monitor.figure("meldingen-ontvangstbevestiging")
            shown += sum(1 for row in ack.rows if not row.values[0].suppressed)
        assert shown  # some medians are published, some are not


def test_a_griffier_sees_the_own_organisations_medians_only(
    waits, gemeente_a, gemeente_b, user_factory, client_for
):
    """Groningen's griffier, asking for Utrecht's province and kind, gets Groningen's own
    medians (as counted live), not Utrecht's; an office holder is refused as before."""
    sweep.refresh(now=NOW)
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        utrecht = Organisation.objects.get(code="PV26")
        client = client_for(user_factory(Role.GRIFFIER, gemeente_b))
        query = {**PERIOD, "provincie": utrecht.pk, "soort": "gemeente"}
        monitor = client.get("/monitor/", query).context["monitor"]
        assert monitor.source.summary
        assert monitor.selection.organisation == gemeente_b
        with live():
            own = report.build(Selection(Period(2026), organisation=gemeente_b))
            other = report.build(Selection(Period(2026), organisation=gemeente_a))
        slugs = ("meldingen-ontvangstbevestiging", "meldingen-per-kwartaal")
        for slug in slugs:
            assert monitor.figure(slug).table() == own.figure(slug).table()
        assert [monitor.figure(s).table() for s in slugs] != [
            other.figure(s).table() for s in slugs
        ]
        office_holder = client_for(user_factory(Role.OFFICE_HOLDER, gemeente_a))
        assert office_holder.get("/monitor/", PERIOD).status_code == 403


def ack_median(client):
    response = client.get("/monitor/", PERIOD)
    assert response.status_code == 200
    figure = response.context["monitor"].figure("meldingen-ontvangstbevestiging")
    return figure.rows[0].values[0].display


def tamper(organisation, hours):
    """Make the stored year's median ``hours``: a value the live count never gives, to see
    which one the page shows."""
    row = SummaryDuration.objects.get(organisation=organisation, year=2026)
    row.figures["2026"][1] = hours * 3_600_000_000
    row.save(update_fields=["figures"])


def test_missing_stale_or_unreadable_stored_medians_are_counted_live(
    waits, gemeente_a, user_factory, client_for, caplog
):
    sweep.refresh(now=NOW)
    griffier = user_factory(Role.GRIFFIER, gemeente_a)
    client = client_for(griffier)
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        counted = ack_median(client)
        tamper(gemeente_a, 99)
        assert ack_median(client) == "99,0 uur"  # read from the stored row
    # The summary is stale: everything counted live, the medians too.
    with time_machine.travel(NOW + STALE_AFTER + timedelta(minutes=1), tick=False):
        assert ack_median(client_for(griffier)) == counted
    with time_machine.travel(NOW + timedelta(minutes=2), tick=False):
        # Counted up to another month than the cube ends with today.
        SummaryDuration.objects.filter(organisation=gemeente_a).update(until=date(2026, 4, 1))
        assert ack_median(client) == counted
        # Unreadable.
        SummaryDuration.objects.filter(organisation=gemeente_a).update(
            until=date(2026, 5, 1), figures={"2026": [1, 2]}
        )
        assert ack_median(client) == counted
        assert "monitor durations unreadable" in caplog.text
        # Missing.
        SummaryDuration.objects.filter(organisation=gemeente_a).delete()
        assert ack_median(client) == counted
    # In a new month the cube ends a month later: counted live until the next run.
    july = NOW + timedelta(days=17)
    sweep.refresh(now=NOW + timedelta(minutes=3))
    with time_machine.travel(july, tick=False):
        client = client_for(griffier)
        tamper(gemeente_a, 99)
        SummaryState.objects.update(refreshed_at=july)  # the counts are fresh
        assert ack_median(client) != "99,0 uur"
        sweep.refresh(now=july + timedelta(minutes=1))
        stored = SummaryDuration.objects.get(organisation=gemeente_a, year=2026)
        assert stored.until == date(2026, 6, 1)
        with live():
            year = report.build(Selection(Period(2026), organisation=gemeente_a))
        expected = year.figure("meldingen-ontvangstbevestiging").rows[0].values[0].display
        assert ack_median(client) == expected != counted  # June counted now


def test_an_organisation_that_cannot_be_written_leaves_the_others_written(
    waits, gemeente_a, gemeente_b
):
    with refused_row(SummaryDuration, "organisation_id", gemeente_b.pk):
        sweep.refresh(now=NOW)
    assert SummaryDuration.objects.filter(organisation=gemeente_a).count() == 2
    assert not SummaryDuration.objects.filter(organisation=gemeente_b).exists()
    assert SummaryDuration.objects.exclude(organisation=gemeente_b).count() == 2 * (
        Organisation.objects.count() - 1
    )
    failures = SweepFailure.objects.open().filter(sweep=sweep.SWEEP)
    assert sorted(failures.values_list("object_id", flat=True)) == [
        f"{gemeente_b.pk}:2025-12",
        f"{gemeente_b.pk}:2026-05",
    ]
    # Not complete: the page does not read a summary with a hole in it.
    assert SummaryState.objects.get().refreshed_at is None
    later = NOW + timedelta(hours=1)
    sweep.refresh(now=later)  # the refusal is gone and the back-off passed
    assert SummaryDuration.objects.filter(organisation=gemeente_b).count() == 2
    assert not failures.exists()
    assert SummaryState.objects.get().refreshed_at == later


def test_a_late_acknowledgement_is_in_the_next_runs_medians(waits, gemeente_b):
    sweep.refresh(now=NOW)
    later = NOW + timedelta(minutes=15)
    selection = Selection(Period(2026), organisation=gemeente_b).published(NOW.date())
    waiting = Melding.objects.filter(
        organisation=gemeente_b, acknowledged_at__isnull=True, submitted_at__year=2026
    ).exclude(status=Status.WITHDRAWN)
    with time_machine.travel(later, tick=False):
        for m in waiting:
            m.acknowledged_at = later
            m.save(update_fields=["acknowledged_at"])
        sweep.refresh(now=later)
        with live():
            expected = without_start(statistics(selection))
        with summarised():
            assert without_start(statistics(selection)) == expected
