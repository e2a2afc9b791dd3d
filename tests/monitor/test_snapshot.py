"""The national monitor kept between two refreshes of the summary (monitor.snapshot): every
published figure is the one the page builds live, the page reads it in a handful of
queries, a snapshot that cannot be built or read leaves the page live and the sweep
refreshed, and an organisation's own figures never pass through it."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from monitor import report, snapshot
from monitor.models import MonitorSnapshot, SummaryState
from monitor.selection import Period, Selection
from monitor.summary import STALE_AFTER, sweep, using
from weerbaar.constants import Role
from weerbaar.models import Organisation

from . import test_summary
from .conftest import NOW, PERIOD

pytestmark = pytest.mark.django_db

more = test_summary.more  # the varied data of the summary's tests, as a fixture here


def everything(monitor):
    """Every section and figure as published: texts, the cells with their values and
    states, the derived texts and the rows' keys."""
    return (
        monitor.empty,
        [
            (
                s.slug,
                str(s.title),
                str(s.note),
                [
                    (
                        f.slug,
                        str(f.title),
                        str(f.description),
                        str(f.key_header),
                        [str(c) for c in f.columns],
                        f.chart,
                        list(f.series),
                        str(f.unit),
                        str(f.note),
                        f.table(),
                        [(str(r.label), r.values, r.key) for r in f.rows],
                        None if f.total is None else (str(f.total.label), f.total.values),
                    )
                    for f in s.figures
                ],
            )
            for s in monitor.sections
        ],
    )


def selections(gemeente_a):
    provincie = Organisation.objects.get(code="PV26")
    for period in (
        Period(2026),
        Period.of_quarter(date(2026, 3, 1)),
        Period.of_month(date(2026, 4, 1)),
        Period.of_month(date(2026, 6, 1)),
    ):
        yield Selection(period)
        yield Selection(period, kind="gemeente")
        yield Selection(period, kind="provincie", province=provincie)
        yield Selection(period, province=provincie)
        yield Selection(period, organisation=gemeente_a)


def test_every_published_figure_is_the_same_from_the_snapshot_as_live(more, gemeente_a):
    sweep.refresh(now=NOW)
    # The sweep stored the country in every period of the year's cube on 15 June: the 5
    # months that have ended (the running month is not published), 2 quarters and the
    # year; the other selections are stored by their first request.
    assert MonitorSnapshot.objects.count() == 8
    for language, chosen_selections in (
        ("nl", list(selections(gemeente_a))),
        ("en", [Selection(Period(2026)), Selection(Period(2026), kind="gemeente")]),
    ):
        with translation.override(language):
            for selection in chosen_selections:
                with using() as chosen:
                    assert chosen.summary
                    live = everything(report.build(selection))
                rows = MonitorSnapshot.objects.count()
                first = snapshot.build(selection)
                with CaptureQueriesContext(connection) as queries:
                    stored = snapshot.build(selection)
                assert everything(first) == live, selection
                assert everything(stored) == live, selection
                assert stored.source == chosen
                if selection.single:
                    # Built live (the running month, June, in one query: nothing to count).
                    assert MonitorSnapshot.objects.count() == rows, selection
                    assert stored.snapshot == "", selection
                else:
                    assert len(queries) == 2, selection  # the summary's state, the snapshot
    assert not MonitorSnapshot.objects.filter(key__contains=str(gemeente_a.pk)).exists()


def test_the_national_page_reads_the_snapshot_in_a_handful_of_queries(data, analyst, client_for):
    client = client_for(analyst)
    sweep.refresh(now=NOW - timedelta(minutes=20))
    client.get("/monitor/", PERIOD)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/monitor/", PERIOD)
    assert response.status_code == 200
    assert response.context["monitor"].figure("meldingen-per-maand").total.values[0].value == 19
    assert response.context["monitor"].snapshot
    assert "Cijfers bijgewerkt op 15 juni 2026 om 09:40." in response.content.decode()
    # The session and the user's memberships, the summary's state, the snapshot, the
    # provinces of the filter: no figure is counted.
    assert len(queries) <= 8, [q["sql"][:80] for q in queries]
    for path in ("/monitor/rapport/", "/monitor/rapport.pdf", "/monitor/meldingen-per-maand.csv"):
        assert client.get(path, PERIOD).status_code == 200
    report_page = client.get("/monitor/rapport/", PERIOD).content.decode()
    assert "Cijfers bijgewerkt op 15 juni 2026 om 09:40." in report_page


def test_a_snapshot_that_cannot_be_built_leaves_the_sweep_refreshed_and_the_page_live(
    data, analyst, client_for, monkeypatch
):
    def refuse(figure):
        raise TypeError("a value the snapshot cannot store")

    monkeypatch.setattr(snapshot, "_encode_figure", refuse)
    sweep.refresh(now=NOW)
    assert SummaryState.objects.get().refreshed_at == NOW
    assert not MonitorSnapshot.objects.exists()
    response = client_for(analyst).get("/monitor/", PERIOD)
    assert response.status_code == 200
    assert response.context["monitor"].source.summary
    with using():
        expected = everything(report.build(Selection(Period(2026))))
    assert everything(response.context["monitor"]) == expected


def test_a_snapshot_that_cannot_be_read_is_built_live(data, analyst, client_for):
    sweep.refresh(now=NOW)
    MonitorSnapshot.objects.update(data={"empty": False, "sections": [{"slug": "kapot"}]})
    response = client_for(analyst).get("/monitor/", PERIOD)
    assert response.status_code == 200
    with using():
        expected = everything(report.build(Selection(Period(2026))))
    assert everything(response.context["monitor"]) == expected


def test_a_snapshot_of_another_refresh_or_day_is_not_read(data, analyst, client_for):
    sweep.refresh(now=NOW)
    # Made unmistakable: were one of them read, the page would show no figure at all.
    MonitorSnapshot.objects.update(data={"empty": True, "sections": []})
    client = client_for(analyst)
    assert not client.get("/monitor/", PERIOD).context["monitor"].sections  # the poison works
    # Built the day before (the periods of the cube follow the date).
    MonitorSnapshot.objects.update(day=NOW.date() - timedelta(days=1))
    assert client.get("/monitor/", PERIOD).context["monitor"].sections
    # Of an earlier refresh than the summary's.
    MonitorSnapshot.objects.filter(day=NOW.date()).delete()  # stored by the request above
    MonitorSnapshot.objects.update(day=NOW.date())
    SummaryState.objects.update(refreshed_at=NOW + timedelta(minutes=1))
    assert client.get("/monitor/", PERIOD).context["monitor"].sections
    # A stale summary: counted live, whatever is stored.
    MonitorSnapshot.objects.all().delete()
    SummaryState.objects.update(refreshed_at=NOW)
    snapshot.refresh()
    MonitorSnapshot.objects.update(data={"empty": True, "sections": []})
    with time_machine.travel(NOW + STALE_AFTER + timedelta(minutes=1), tick=False):
        monitor = client_for(analyst).get("/monitor/", PERIOD).context["monitor"]
    assert monitor.source.live
    assert monitor.sections


def test_another_organisations_roles_never_see_its_cells_through_the_snapshot(
    data, gemeente_a, gemeente_b, user_factory, client_for
):
    """Groningen's griffier asks for Utrecht's province and kind while the national
    snapshot is stored: the figures stay Groningen's own, built live; an office holder of
    Utrecht is refused as before."""
    sweep.refresh(now=NOW)
    before = MonitorSnapshot.objects.count()
    client = client_for(user_factory(Role.GRIFFIER, gemeente_b))
    utrecht = Organisation.objects.get(code="PV26")
    response = client.get("/monitor/", {**PERIOD, "provincie": utrecht.pk, "soort": "gemeente"})
    monitor = response.context["monitor"]
    assert monitor.selection.organisation == gemeente_b
    assert not monitor.snapshot and not response.context["sections_cache"]  # never cached
    assert monitor.figure("meldingen-per-maand").total.values[0].display == "8"
    with using():
        own = everything(report.build(Selection(Period(2026), organisation=gemeente_b)))
    assert everything(monitor) == own
    assert MonitorSnapshot.objects.count() == before  # nothing of Groningen stored
    for path in ("/monitor/", "/monitor/rapport/", "/monitor/meldingen-per-maand.csv"):
        office_holder = client_for(user_factory(Role.OFFICE_HOLDER, gemeente_a))
        assert office_holder.get(path, PERIOD).status_code == 403


def test_two_first_requests_store_one_snapshot(data):
    sweep.refresh(now=NOW)
    selection = Selection(Period(2026), kind="gemeente")
    with using() as chosen:
        monitor = report.build(selection)
    name = snapshot.key(selection)
    today = NOW.date()
    assert snapshot._store(chosen, today, {name: monitor}) == 1
    assert snapshot._store(chosen, today, {name: monitor}) == 1
    assert MonitorSnapshot.objects.filter(key=name).count() == 1


def test_without_snapshots_the_page_protects_the_cube_itself(data, analyst, client_for, settings):
    settings.MONITOR_SNAPSHOTS = False
    sweep.refresh(now=NOW)
    assert not MonitorSnapshot.objects.exists()
    response = client_for(analyst).get("/monitor/", PERIOD)
    assert response.context["monitor"].figure("meldingen-per-maand").total.values[0].value == 19
    assert not MonitorSnapshot.objects.exists()
