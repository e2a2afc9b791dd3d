"""The start page per role (issue 21 §1): a reporter starts with "Melding doen" and their
own meldingen, a griffier / secretaris / voorzitter with what needs them now, BZK intake
with the queue and its SLA state, the OTWB coordinator with the week's sessions, the
vertrouwenspersoon with confidential cases and nazorg. Every count links to a list that
holds exactly the counted rows, nothing of another organisation shows, and every start page
stays within the query budget with data present."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents import services
from incidents.constants import AangifteStatus, EscalationLevel, Status
from incidents.models import Aangifte, CaseStep, Melding
from incidents.reminders import refresh
from otwb.constants import SessionStatus, TrajectStatus
from otwb.models import Assignment, Traject
from tests.factories import make_user
from tests.incidents.factories import make_melding
from tests.otwb.factories import SessionFactory, TourFactory, TrainerFactory
from tests.veiligwonen.factories import Cast, submit
from veiligwonen.models import Application
from weerbaar.constants import Position, Role

pytestmark = pytest.mark.django_db

# The page target of issue 21: a start page within 12 queries, with its data present.
QUERY_BUDGET = 12


def panel(response, template):
    for start in response.context["start_panels"]:
        if start.template == template:
            return start.panel
    raise AssertionError(f"no panel {template} on the start page")


def dashboard_pks(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return {m.pk for m in response.context["meldingen"]}, response.context["paginator"].count


# --- reporter --------------------------------------------------------------------------------


@pytest.fixture
def raadslid(gemeente_a):
    return make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID, full_name="Ron Raad")


@pytest.fixture
def griffier(gemeente_a):
    return make_user(Role.GRIFFIER, gemeente_a, full_name="Gerda de Griffier")


def test_reporter_start_page_leads_with_melding_doen_then_own_meldingen(
    client_for, raadslid, griffier
):
    melding = make_melding(raadslid)
    services.post_message(melding, "Kunt u ons bellen?", actor=griffier)
    client = client_for(raadslid)

    response = client.get(reverse("home"))
    html = response.content.decode()
    reporter = panel(response, "incidents/includes/start_reporter.html")

    assert html.index("Melding doen") < html.index("Mijn meldingen</h2>")
    assert f'href="{reverse("incidents:new")}"' in html
    assert [m.pk for m in reporter.meldingen] == [melding.pk]
    assert reporter.meldingen[0].new_message is True
    assert melding.reference in html and "Verstuurd" in html and "Nieuw bericht" in html
    assert "Bel dan eerst 112" in html

    # Reading the case reads its message: the flag goes.
    client.get(reverse("incidents:case", args=[melding.pk]))
    assert "Nieuw bericht" not in client.get(reverse("home")).content.decode()


def test_raadslid_is_not_offered_veilig_wonen_and_can_read_why(client_for, raadslid):
    html = client_for(raadslid).get(reverse("home")).content.decode()
    assert reverse("veiligwonen:apply") not in html
    assert reverse("veiligwonen:index") not in html
    assert "Waarom kan ik geen Veilig Wonen aanvragen?" in html
    assert "Als raadslid valt u er niet onder." in html


def test_wethouder_is_offered_veilig_wonen(client_for, gemeente_a):
    wethouder = make_user(Role.OFFICE_HOLDER, gemeente_a, Position.WETHOUDER)
    html = client_for(wethouder).get(reverse("home")).content.decode()
    assert reverse("veiligwonen:apply") in html
    assert "Waarom kan ik geen Veilig Wonen aanvragen?" not in html


def test_reporter_sees_the_protocol_text_of_their_own_organisation(
    client_for, raadslid, gemeente_a, gemeente_b
):
    from incidents.models import LocalProtocol

    LocalProtocol.objects.create(organisation=gemeente_a, text_nl="Meld bij de griffie, 030-1.")
    LocalProtocol.objects.create(organisation=gemeente_b, text_nl="Groningen: bel 050-2.")
    html = client_for(raadslid).get(reverse("home")).content.decode()
    assert "Bij wie meldt u?" in html
    assert "Meld bij de griffie, 030-1." in html
    assert "050-2" not in html


# --- griffier, secretaris, voorzitter ----------------------------------------------------------


@pytest.fixture
def workload(raadslid, griffier, gemeente_a, gemeente_b):
    """Meldingen of gemeente A in every state the griffier's start page counts, and one of
    gemeente B that must never show."""
    now = timezone.now()
    fresh = make_melding(raadslid)
    due_today = make_melding(raadslid)
    Melding.objects.filter(pk=due_today.pk).update(
        ack_deadline=timezone.localtime(now).replace(hour=23, minute=59, second=0)
    )
    Melding.objects.filter(pk=fresh.pk).update(ack_deadline=now + timedelta(days=3))
    escalated = make_melding(raadslid)
    Melding.objects.filter(pk=escalated.pk).update(
        escalation_level=EscalationLevel.VOORZITTER, ack_deadline=now + timedelta(days=2)
    )
    stepping = make_melding(raadslid)
    services.transition(stepping, Status.IN_TRIAGE, actor=griffier)
    CaseStep.objects.create(
        melding=stepping,
        title="Burgemeester informeren",
        owner_role=Role.GRIFFIER,
        due_at=now - timedelta(days=1),
        order=1,
    )
    CaseStep.objects.create(
        melding=stepping,
        title="Later",
        owner_role=Role.GRIFFIER,
        due_at=now + timedelta(days=5),
        order=2,
    )
    reported = make_melding(raadslid)
    services.transition(reported, Status.IN_TRIAGE, actor=griffier)
    Aangifte.objects.create(
        melding=reported,
        status=AangifteStatus.FILED,
        status_changed_at=now - timedelta(days=20),
    )
    # Written past the services, as the seeders do: the columns the services keep with the
    # case (``incidents.reminders``) are written from its state.
    refresh(Melding.objects.filter(pk=reported.pk))
    messaged = make_melding(raadslid)
    services.transition(messaged, Status.IN_TRIAGE, actor=griffier)
    services.post_message(messaged, "Er is weer iets gebeurd.", actor=raadslid)
    elsewhere = make_melding(make_user(Role.OFFICE_HOLDER, gemeente_b, Position.RAADSLID))
    make_user(Role.GRIFFIER, gemeente_b)
    Melding.objects.filter(pk=elsewhere.pk).update(
        escalation_level=EscalationLevel.VOORZITTER,
        ack_deadline=timezone.localtime(now).replace(hour=23, minute=59, second=0),
    )
    return {
        "fresh": fresh,
        "due_today": due_today,
        "escalated": escalated,
        "stepping": stepping,
        "reported": reported,
        "messaged": messaged,
        "elsewhere": elsewhere,
    }


def test_griffier_sees_what_needs_them_now_and_each_count_opens_the_same_list(
    client_for, griffier, workload
):
    client = client_for(griffier)
    response = client.get(reverse("home"))
    triage = panel(response, "incidents/includes/start_triage.html")
    blocks = {b.key: b for b in triage.blocks}
    w = {k: m.pk for k, m in workload.items()}

    expected = {
        "awaiting": {w["fresh"], w["due_today"], w["escalated"]},
        "due_today": {w["due_today"]},
        "escalated": {w["escalated"]},
        "steps_overdue": {w["stepping"]},
        "aangifte_due": {w["reported"]},
        "new_message": {w["messaged"]},
    }
    for key, pks in expected.items():
        block = blocks[key]
        assert block.count == len(pks), key
        assert {r["pk"] for r in block.rows} == pks, key
        listed, count = dashboard_pks(client, block.url)
        assert (listed, count) == (pks, len(pks)), key

    # The first rows wait longest first, with their deadline.
    assert [r["pk"] for r in blocks["awaiting"].rows] == [
        w["due_today"],
        w["escalated"],
        w["fresh"],
    ]
    html = response.content.decode()
    assert "bevestigen vóór" in html
    assert Melding(pk=w["elsewhere"]).reference not in html


def test_griffier_of_another_organisation_sees_none_of_it(client_for, gemeente_b, workload):
    other = Melding.objects.get(pk=workload["elsewhere"].pk)
    griffier_b = make_user(Role.GRIFFIER, gemeente_b)
    response = client_for(griffier_b).get(reverse("home"))
    blocks = {b.key: b for b in panel(response, "incidents/includes/start_triage.html").blocks}
    assert blocks["awaiting"].count == 1
    assert blocks["escalated"].count == 1
    assert {r["pk"] for r in blocks["awaiting"].rows} == {other.pk}
    html = response.content.decode()
    for key, melding in workload.items():
        if key != "elsewhere":
            assert melding.reference not in html


def test_voorzitter_sees_what_was_escalated_to_them(client_for, gemeente_a, workload):
    voorzitter = make_user(Role.VOORZITTER, gemeente_a)
    client = client_for(voorzitter)
    response = client.get(reverse("home"))
    blocks = {b.key: b for b in panel(response, "incidents/includes/start_triage.html").blocks}
    assert blocks["escalated"].title == "Geëscaleerd naar u"
    assert blocks["escalated"].count == 1
    assert {r["pk"] for r in blocks["escalated"].rows} == {workload["escalated"].pk}
    listed, _count = dashboard_pks(client, blocks["escalated"].url)
    assert listed == {workload["escalated"].pk}


def test_start_page_follows_the_active_role(client_for, griffier, gemeente_a, workload):
    from tests.factories import MembershipFactory

    own = MembershipFactory(
        user=griffier,
        organisation=gemeente_a,
        role=Role.OFFICE_HOLDER,
        position=Position.RAADSLID,
    )
    client = client_for(griffier)
    templates = [p.template for p in client.get(reverse("home")).context["start_panels"]]
    assert "incidents/includes/start_triage.html" in templates

    client.post(reverse("switch_role"), {"membership": own.pk})
    response = client.get(reverse("home"))
    templates = [p.template for p in response.context["start_panels"]]
    assert templates[0] == "incidents/includes/start_reporter.html"
    assert "incidents/includes/start_triage.html" not in templates
    assert "Werken als" in response.content.decode()


# --- vertrouwenspersoon ----------------------------------------------------------------------


def test_vertrouwenspersoon_sees_confidential_cases_and_nazorg_due(
    client_for, raadslid, griffier, otwb_org, gemeente_b
):
    vp = make_user(Role.VERTROUWENSPERSOON, otwb_org)
    confidential = make_melding(raadslid, confidential=True)
    waiting = make_melding(raadslid, confidential=True)
    services.transition(waiting, Status.IN_TRIAGE, actor=vp)
    Melding.objects.filter(pk=waiting.pk).update(
        acknowledged_at=timezone.now() - timedelta(days=10)
    )
    # Not the vertrouwenspersoon's: the griffier's route.
    make_melding(raadslid)

    client = client_for(vp)
    response = client.get(reverse("home"))
    blocks = {b.key: b for b in panel(response, "incidents/includes/start_triage.html").blocks}
    assert blocks["confidential"].count == 2
    assert {r["pk"] for r in blocks["confidential"].rows} == {confidential.pk, waiting.pk}
    assert blocks["aftercare_due"].count == 1
    for block in blocks.values():
        listed, count = dashboard_pks(client, block.url)
        assert count == block.count
        assert listed == {r["pk"] for r in block.rows}


# --- Veilig Wonen ----------------------------------------------------------------------------


@pytest.fixture
def vw(gemeente_a, gemeente_b, bzk, ccv):
    return Cast(gemeente_a, gemeente_b, bzk, ccv)


def test_intake_sees_the_queue_with_its_sla_state(client_for, vw):
    late = submit(vw, recent_threats=True)
    on_time = submit(vw, vw.wethouder)
    soon = submit(vw)
    Application.objects.filter(pk=soon.pk).update(
        sla_due_at=timezone.now() + timedelta(hours=5),
        sla_warn_at=timezone.now() - timedelta(hours=1),
    )
    Application.objects.filter(pk=late.pk).update(
        sla_due_at=timezone.now() - timedelta(hours=1),
        sla_warn_at=timezone.now() - timedelta(days=1),
    )
    Application.objects.filter(pk=on_time.pk).update(
        sla_due_at=timezone.now() + timedelta(days=5),
        sla_warn_at=timezone.now() + timedelta(days=4),
    )
    client = client_for(vw.intake)
    response = client.get(reverse("home"))
    queue = panel(response, "veiligwonen/includes/start_queue.html")
    counts = {t.key: t for t in queue.counts}
    assert counts["waiting"].count == 3
    assert counts["late"].count == 1
    assert counts["soon"].count == 1
    rows = {app.pk: app.sla for app in queue.rows}
    assert rows == {late.pk: "late", on_time.pk: "on_time", soon.pk: "soon"}
    assert "Termijn verlopen" in response.content.decode()

    listed = client.get(counts["late"].url)
    assert [a.pk for a in listed.context["page"].object_list] == [late.pk]


def test_adviser_and_bva_see_their_own_work(client_for, vw):
    from tests.veiligwonen.factories import to_review

    app = to_review(vw, submit(vw))
    adviser = panel(
        client_for(vw.adviser).get(reverse("home")), "veiligwonen/includes/start_queue.html"
    )
    assert [a.pk for a in adviser.rows] == [app.pk]
    assert (
        client_for(vw.other_adviser).get(reverse("home")).context["start_panels"][0].panel.rows
        == []
    )
    bva = panel(client_for(vw.bva).get(reverse("home")), "veiligwonen/includes/start_queue.html")
    assert bva.counts[0].count == 1


# --- OTWB coordinator ------------------------------------------------------------------------


def test_coordinator_sees_the_week_short_sessions_and_waiting_trajecten(
    client_for, otwb_org, gemeente_a, gemeente_b
):
    from otwb.start import week_bounds

    coordinator = make_user(Role.OTWB_COORDINATOR, otwb_org)
    now = timezone.now()
    start, end = week_bounds(now)
    tour = TourFactory()
    # Staffed, so it is not also "short" when the test runs before it starts (Monday night).
    this_week = SessionFactory(
        tour=tour, starts_at=start + timedelta(hours=1), min_vertrouwenspersonen=1
    )
    SessionFactory(tour=tour, starts_at=end + timedelta(days=14), status=SessionStatus.CANCELLED)
    short = SessionFactory(tour=tour, starts_at=end + timedelta(days=7), min_vertrouwenspersonen=2)
    staffed = SessionFactory(
        tour=tour, starts_at=end + timedelta(days=8), min_vertrouwenspersonen=1
    )
    for session in (this_week, short, staffed):
        trainer = TrainerFactory()
        Assignment.objects.create(
            session=session,
            trainer=trainer,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
        )
    waiting = Traject.objects.create(
        tour=tour, organisation=gemeente_a, status=TrajectStatus.VOORGESPREK_HELD
    )
    invited = Traject.objects.create(
        tour=tour, organisation=gemeente_b, status=TrajectStatus.INVITED
    )

    client = client_for(coordinator)
    response = client.get(reverse("home"))
    otwb = panel(response, "otwb/includes/start_coordinator.html")
    week_pks = [s.pk for s in otwb.this_week.rows]
    assert this_week.pk in week_pks and short.pk not in week_pks
    assert [s.pk for s in otwb.short.rows] == [short.pk]
    assert otwb.short.rows[0].assigned == 1
    assert [t.pk for t in otwb.waiting.rows] == [waiting.pk]
    assert otwb.waiting.total == 1
    listed = client.get(otwb.waiting.url)
    assert listed.status_code == 200
    listed_html = listed.content.decode()
    assert reverse("otwb:traject_detail", args=[waiting.pk]) in listed_html
    assert reverse("otwb:traject_detail", args=[invited.pk]) not in listed_html


# --- navigation and account menu --------------------------------------------------------------


def test_top_navigation_holds_the_roles_tasks_and_account_things_sit_in_one_menu(
    client_for, raadslid, griffier
):
    html = client_for(raadslid).get(reverse("home")).content.decode()
    nav = html[html.index('class="wb-mainnav"') : html.index("</nav>")]
    assert reverse("incidents:new") in nav
    assert reverse("incidents:mine") in nav
    assert reverse("mfa_index") not in nav
    menu = html[html.index('<details class="wb-account">') : html.index("</details>")]
    for part in (
        reverse("mfa_index"),
        reverse("usersessions_list"),
        reverse("set_language"),
        reverse("account_logout"),
    ):
        assert part in menu

    html = client_for(griffier).get(reverse("home")).content.decode()
    nav = html[html.index('class="wb-mainnav"') : html.index("</nav>")]
    assert reverse("incidents:dashboard") in nav
    assert reverse("incidents:new") not in nav


# --- query budget ----------------------------------------------------------------------------


def test_every_start_page_stays_within_the_query_budget(
    client_for,
    django_assert_max_num_queries,
    workload,
    griffier,
    raadslid,
    gemeente_a,
    otwb_org,
    bzk,
    ccv,
    gemeente_b,
):
    vw = Cast(gemeente_a, gemeente_b, bzk, ccv)
    for _n in range(3):
        submit(vw)
    people = [
        raadslid,
        griffier,
        make_user(Role.SECRETARIS, gemeente_a),
        make_user(Role.VOORZITTER, gemeente_a),
        make_user(Role.VERTROUWENSPERSOON, otwb_org),
        make_user(Role.OTWB_COORDINATOR, otwb_org),
        vw.intake,
        vw.adviser,
        vw.bva,
        vw.wethouder,
    ]
    tour = TourFactory()
    for days in range(3):
        SessionFactory(tour=tour, starts_at=timezone.now() + timedelta(days=days + 1))
    for person in people:
        client = client_for(person)
        client.get(reverse("home"))  # sessions and caches warm, as for a returning user
        with django_assert_max_num_queries(QUERY_BUDGET):
            assert client.get(reverse("home")).status_code == 200
