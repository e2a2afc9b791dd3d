"""The demo's year of history (``seed_demo``): the monitor and the coverage page of a fresh
``make run`` show charts with published numbers, seeding twice adds nothing, and neither the
seeding nor the sweeps the worker runs mail anyone about the made-up cases."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from incidents.constants import Status as MeldingStatus
from incidents.models import JobRecord, Melding, TimelineEntry
from incidents.services import retention
from incidents.services import sweeps as incident_sweeps
from monitor.selection import default_period
from otwb import jobs as otwb_jobs
from otwb.models import Session, Traject
from otwb.models import SweepRecord as OtwbSweepRecord
from veiligwonen import services as vw_services
from veiligwonen.models import Application
from veiligwonen.models import SweepRecord as VwSweepRecord
from weerbaar import search
from weerbaar.demo_people import DOMAIN
from weerbaar.models import Notification, User

pytestmark = pytest.mark.django_db

CELL = re.compile(r'<td class="utrecht-table__cell mon-num">([^<]*)</td>')
COUNT = re.compile(r"^\d[\d.]*$")
HIDDEN = "×"  # every hidden cell, small or not


@pytest.fixture
def demo(organisations, settings):
    """The demo data, seeded and looked at in the middle of a month (the history fills the
    current month up to a few hours ago, which in the first hours of a month is nothing)."""
    settings.DEMO_MODE = True
    with time_machine.travel(datetime(2026, 6, 15, 10, tzinfo=UTC), tick=True):
        call_command("seed_demo", stdout=io.StringIO())
        yield


def _page(client_for, email, url):
    response = client_for(User.objects.get(email=email)).get(url)
    assert response.status_code == 200
    return response.content.decode()


def _figure(html, slug):
    """The rendered HTML of one monitor figure."""
    start = html.index(f'id="{slug}-title"')
    return html[start : html.index("</figure>", start)]


def _total(html, slug):
    return CELL.findall(_figure(html, slug).split("<tfoot", 1)[1])[0]


def _counted(**filters):
    """Meldingen the monitor counts in its default period (neither drafts nor withdrawn),
    up to the end of the last month that has ended: the running month is not published."""
    start = default_period().start
    running = timezone.localdate().replace(day=1)
    return (
        Melding.objects.filter(
            submitted_at__date__gte=start, submitted_at__date__lt=running, **filters
        )
        .exclude(status__in=[MeldingStatus.DRAFT, MeldingStatus.WITHDRAWN])
        .count()
    )


def test_the_analyst_sees_every_national_figure_published(demo, client_for):
    html = _page(client_for, "analist@bzk.demo", "/monitor/")
    cells = CELL.findall(html)
    counts = [c for c in cells if COUNT.match(c)]
    assert len(counts) >= 100
    # Gender × position is where cells get small (the monitor suppresses them, as it would
    # national data); every other figure is published all but a few cells: the provincies'
    # and waterschappen' positions (hidden with their kind's total, which protects the
    # waterschappen' few meldingen) and their rates, a handful in all.
    sparse = _figure(html, "meldingen-gender-functie")
    others = CELL.findall(html.replace(sparse, ""))
    assert others.count(HIDDEN) <= 8
    assert all(COUNT.match(c) for c in CELL.findall(_figure(html, "meldingen-gender-online")))
    # (January to May: the running month, June, is not published.)
    assert sum(1 for c in CELL.findall(sparse) if COUNT.match(c)) >= 15
    assert html.count('class="mon-chart"') >= 9
    # The figures are the database's counts, not a few hidden cells: the default period is
    # the year so far (January to May here: June, the running month, is not published).
    meldingen = _counted(organisation__kind__in=["gemeente", "provincie", "waterschap"])
    assert meldingen >= 200
    assert _total(html, "meldingen-per-maand") == f"{meldingen:,}".replace(",", ".")
    month_cells = CELL.findall(_figure(html, "meldingen-per-maand"))
    assert all(COUNT.match(c) and int(c.replace(".", "")) >= 5 for c in month_cells)
    provinces = CELL.findall(_figure(html, "meldingen-per-provincie"))
    assert len(provinces) == 14 and all(COUNT.match(c) for c in provinces)
    # By position: all published but the three whose kind's total is hidden with them (see
    # above); the grand total is published.
    functie = CELL.findall(_figure(html, "meldingen-per-functie"))
    assert sum(not COUNT.match(c) for c in functie) <= 3 and COUNT.match(functie[-1])
    applications = CELL.findall(_figure(html, "veilig-wonen-per-urgentie"))
    assert all(COUNT.match(c) and int(c) >= 5 for c in applications)


def test_the_demo_griffier_sees_utrechts_own_figures_published(demo, client_for):
    html = _page(client_for, "griffier@utrecht.demo", "/monitor/")
    cells = CELL.findall(html)
    counts = [c for c in cells if COUNT.match(c)]
    assert len(counts) >= 45
    assert html.count('class="mon-chart"') >= 7
    utrecht = _counted(organisation__code="GM0344", confidential=False)
    assert utrecht >= 35  # January to May: the running month is not published
    assert _total(html, "meldingen-per-maand") == str(utrecht)
    month_cells = CELL.findall(_figure(html, "meldingen-per-maand"))
    assert all(COUNT.match(c) for c in month_cells)


def test_the_coverage_page_draws_the_tour_so_far(demo, client_for):
    html = _page(client_for, "coordinator@otwb.demo", reverse("otwb:coverage"))
    assert html.count('<svg class="wb-chart"') == 2
    # A point per month with a voorgesprek or session, over years of the tour.
    line = re.search(r'<svg[^>]*aria-labelledby="coverage-line-svg-title.*?</svg>', html, re.S)
    assert line[0].count("<circle") >= 24
    reached = Traject.objects.filter(voorgesprek_held_at__isnull=False).count()
    sessions = Traject.objects.filter(session_held_at__isnull=False).count()
    assert sessions >= 100
    rows = re.findall(
        r"<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+)</td>\s*</tr>",
        html.split('aria-label="Bereik per maand"', 1)[1],
    )
    assert rows[-1] == (str(reached), str(sessions))
    assert "0% had een voorgesprek" not in html


def _totals():
    return {
        "users": User.objects.count(),
        "meldingen": Melding.objects.count(),
        "timeline": TimelineEntry.objects.count(),
        "applications": Application.objects.count(),
        "sessions": Session.objects.count(),
        "trajecten": list(Traject.objects.order_by("pk").values_list("pk", "status")),
        "notifications": Notification.objects.count(),
    }


def test_seeding_twice_adds_nothing(demo, settings):
    before = _totals()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert _totals() == before
    assert "Demogeschiedenis: al aanwezig" in out.getvalue()


def _history():
    """Links and ids of what the history made (not the demo accounts' own cases)."""
    meldingen = list(Melding.objects.filter(reporter__email__endswith=f"@{DOMAIN}"))
    applications = list(Application.objects.filter(applicant__email__endswith=f"@{DOMAIN}"))
    sessions = list(Session.objects.filter(status="held"))
    trajecten = list(
        Traject.objects.exclude(status="not_approached").exclude(
            organisation__code__in=["GM0344", "GM0014"]
        )
    )
    links = [reverse("incidents:case", args=[m.pk]) for m in meldingen]
    links += [a.get_absolute_url() for a in applications]
    return meldingen, applications, sessions, trajecten, tuple(links)


def _run_sweeps(now):
    incident_sweeps.escalate_due(now=now)
    incident_sweeps.remind_aftercare(now=now)
    incident_sweeps.remind_aangifte(now=now)
    incident_sweeps.remind_idle(now=now)
    retention.anonymise_due(now=now)
    vw_services.sweep_sla(now=now)
    vw_services.remind_open_measures(now=now)
    vw_services.purge_closed(now=now)
    otwb_jobs.sweep_session_reminders(now=now)
    otwb_jobs.sweep_evaluation_requests(now=now)
    otwb_jobs.sweep_no_session_nudges(now=now)
    otwb_jobs.sweep_overdue_agreements(now=now)


def test_the_history_mails_nobody_now_or_when_the_sweeps_run(demo):
    meldingen, applications, sessions, trajecten, links = _history()
    assert len(meldingen) >= 400 and len(applications) >= 60 and len(sessions) >= 100
    made_up = Q(recipient__email__endswith=f"@{DOMAIN}")
    assert not Notification.objects.filter(made_up).exists()
    assert not [n.link for n in Notification.objects.all() if n.link.startswith(links)]
    now = timezone.now()
    for moment in (now, now + timedelta(days=1), now + timedelta(days=70)):
        _run_sweeps(moment)
    assert not Notification.objects.filter(made_up).exists()
    assert not [n.link for n in Notification.objects.all() if n.link.startswith(links)]
    assert not JobRecord.objects.filter(melding__in=meldingen).exists()
    assert not VwSweepRecord.objects.filter(application__in=applications).exists()
    assert not OtwbSweepRecord.objects.filter(
        Q(object_type="session", object_id__in=[s.pk for s in sessions])
        | Q(object_type="traject", object_id__in=[t.pk for t in trajecten])
    ).exists()
    # The made-up reporters cannot sign in.
    people = User.objects.filter(email__endswith=f"@{DOMAIN}")
    assert people.count() >= 200
    assert not any(p.is_active or p.has_usable_password() for p in people)


def test_the_made_up_cases_open_for_those_who_handle_them(demo, client_for):
    """The history's cases are whole: the pages of their handlers show them, with the
    made-up reporter's name, although that person has no membership."""
    melding = Melding.objects.filter(
        reporter__email__endswith=f"@{DOMAIN}",
        route="griffier",
        route_organisation__code="GM0344",
        status=MeldingStatus.CLOSED,
    ).first()
    html = _page(client_for, "griffier@utrecht.demo", reverse("incidents:case", args=[melding.pk]))
    assert "(demo)" in html
    found = search.filter_queryset(
        Melding.objects.all(), "incidents.melding", melding.reporter.full_name
    )
    assert melding in found
    application = Application.objects.filter(
        applicant__email__endswith=f"@{DOMAIN}", status="completed"
    ).first()
    html = _page(client_for, "intake@bzk.demo", application.get_absolute_url())
    assert escape(application.applicant.full_name) in html
    found = search.filter_queryset(
        Application.objects.all(), "veiligwonen.application", application.applicant.full_name
    )
    assert application in found
    traject = Traject.objects.filter(status="completed").select_related("organisation").first()
    html = _page(
        client_for, "coordinator@otwb.demo", reverse("otwb:traject_detail", args=[traject.pk])
    )
    assert escape(traject.organisation.name) in html
    session = Session.objects.filter(status="held").first()
    html = _page(
        client_for, "coordinator@otwb.demo", reverse("otwb:session_detail", args=[session.pk])
    )
    assert escape(session.title) in html
