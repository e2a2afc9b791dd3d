import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from otwb import services
from otwb.constants import RegistrationStatus, SessionKind, SessionStatus, Theme
from otwb.models import Registration, Session, Traject
from otwb.planner import PLANNER_ROWS
from weerbaar import memberships
from weerbaar.constants import OrganisationKind, Role

from ..factories import make_user
from .factories import SessionFactory, TrainerFactory, at, driehoek_people

pytestmark = pytest.mark.django_db

NEEDS = "Wethouder krijgt dreigmails thuis"


@pytest.fixture
def utrecht_traject(tour, gemeente_a, coordinator):
    services.create_trajecten(tour)
    traject = Traject.objects.get(tour=tour, organisation=gemeente_a)
    talk = services.plan_voorgesprek(traject, planned_at=at(2026, 1, 5, 10), actor=coordinator)
    services.record_voorgesprek(
        talk, held_at=at(2026, 1, 5, 11), themes=[Theme.HOME], notes=NEEDS, actor=coordinator
    )
    return traject


def test_griffier_sees_own_traject_with_needs_inventory(client_for, griffier_a, utrecht_traject):
    response = client_for(griffier_a).get(reverse("otwb:traject_detail", args=[utrecht_traject.pk]))
    assert response.status_code == 200
    assert NEEDS in response.content.decode()


def test_other_gemeentes_griffier_gets_404_on_traject(client_for, griffier_b, utrecht_traject):
    client = client_for(griffier_b)
    assert client.get(reverse("otwb:traject_detail", args=[utrecht_traject.pk])).status_code == 404
    listing = client.get(reverse("otwb:traject_list")).content.decode()
    assert reverse("otwb:traject_detail", args=[utrecht_traject.pk]) not in listing
    assert "Gemeente Groningen" in listing


@pytest.mark.parametrize("role", [Role.OFFICE_HOLDER, Role.SECRETARIS, Role.VERTROUWENSPERSOON])
def test_nobody_else_sees_the_needs_inventory(
    client_for, gemeente_a, otwb_org, role, utrecht_traject
):
    org = otwb_org if role == Role.VERTROUWENSPERSOON else gemeente_a
    user = make_user(role, org, position="burgemeester" if role == Role.OFFICE_HOLDER else "")
    response = client_for(user).get(reverse("otwb:traject_detail", args=[utrecht_traject.pk]))
    assert response.status_code == 404


def test_other_gemeentes_griffier_cannot_see_or_cancel_registrations(
    client_for, gemeente_a, griffier_a, griffier_b
):
    session = SessionFactory(kind=SessionKind.DRIEHOEK, starts_at=at(2099, 4, 14, 13))
    registration = services.register_driehoek(
        session, gemeente_a, people=driehoek_people("utr"), actor=griffier_a
    )
    client = client_for(griffier_b)
    page = client.get(reverse("otwb:session_detail", args=[session.pk]))
    assert page.status_code == 200  # regional sessions are announced to every gemeente
    assert "Burgemeester utr" not in page.content.decode()
    cancel = client.post(reverse("otwb:registration_cancel", args=[registration.pk]))
    assert cancel.status_code == 404
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_griffier_registers_driehoek_through_the_form(client_for, griffier_a, gemeente_a):
    session = SessionFactory(kind=SessionKind.DRIEHOEK, starts_at=at(2099, 4, 14, 13))
    client = client_for(griffier_a)
    form_page = client.get(reverse("otwb:register", args=[session.pk]))
    assert form_page.status_code == 200
    response = client.post(
        reverse("otwb:register", args=[session.pk]),
        {"organisation": gemeente_a.pk, **driehoek_people("utr")},
    )
    assert response.status_code == 302
    registration = Registration.objects.get(session=session)
    assert registration.organisation == gemeente_a
    assert registration.registered_by == griffier_a
    detail = client.get(reverse("otwb:session_detail", args=[session.pk])).content.decode()
    assert reverse("otwb:session_ics", args=[session.pk]) in detail


def test_griffier_cannot_register_another_gemeente(client_for, griffier_a, gemeente_b):
    session = SessionFactory(kind=SessionKind.DRIEHOEK, starts_at=at(2099, 4, 14, 13))
    response = client_for(griffier_a).post(
        reverse("otwb:register", args=[session.pk]),
        {"organisation": gemeente_b.pk, **driehoek_people()},
    )
    assert response.status_code == 200  # the form refuses the choice
    assert not Registration.objects.exists()


def test_trainer_sees_own_sessions_only(client_for, coordinator, otwb_org):
    user = make_user(Role.VERTROUWENSPERSOON, otwb_org)
    trainer = TrainerFactory(user=user)
    mine = SessionFactory(starts_at=at(2099, 3, 10, 19))
    other = SessionFactory(starts_at=at(2099, 3, 11, 19))
    services.assign_trainer(mine, trainer, actor=coordinator)
    client = client_for(user)
    assert client.get(reverse("otwb:session_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("otwb:session_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("otwb:planner", args=[mine.pk])).status_code == 404
    agenda = client.get(reverse("otwb:my_agenda"))
    assert mine.title in agenda.content.decode()


def test_trainer_makes_feed_link_shown_once(client_for, otwb_org):
    user = make_user(Role.VERTROUWENSPERSOON, otwb_org)
    TrainerFactory(user=user)
    client = client_for(user)
    client.post(reverse("otwb:feed_token"), {"action": "regenerate"})
    first = client.get(reverse("otwb:my_agenda")).content.decode()
    assert "/otwb/agenda/" in first
    again = client.get(reverse("otwb:my_agenda")).content.decode()
    assert "/otwb/agenda/" not in again


@pytest.mark.parametrize(
    "name", ["coverage", "trainer_list", "evaluation_results", "session_create"]
)
def test_planning_pages_are_for_the_coordinator_only(
    client_for, griffier_a, coordinator, tour, name
):
    assert client_for(griffier_a).get(reverse(f"otwb:{name}")).status_code == 404
    assert client_for(coordinator).get(reverse(f"otwb:{name}")).status_code == 200


def test_coordinator_plans_a_session_and_assigns_a_trainer(
    client_for, coordinator, tour, gemeente_a
):
    trainer = TrainerFactory(name="Vera")
    client = client_for(coordinator)
    response = client.post(
        reverse("otwb:session_create"),
        {
            "tour": tour.pk,
            "kind": SessionKind.COUNCIL,
            "title": "Raadsbrede sessie",
            "date": "2099-03-10",
            "start_time": "19:00",
            "end_time": "22:00",
            "place": "Stadhuis",
            "organisation": str(gemeente_a),
            "min_vertrouwenspersonen": 1,
        },
    )
    assert response.status_code == 302
    planner_url = response["Location"]
    assert "Vera" in client.get(planner_url).content.decode()
    client.post(planner_url, {"trainer": trainer.pk})
    session_pk = int(planner_url.rstrip("/").split("/")[-2])
    client.post(
        reverse("otwb:session_transition", args=[session_pk]), {"to": SessionStatus.CONFIRMED}
    )
    detail = client.get(reverse("otwb:session_detail", args=[session_pk])).content.decode()
    assert "Bevestigd" in detail and "Vera" in detail


def test_planner_runs_constant_queries(client_for, coordinator):
    client = client_for(coordinator)
    session = SessionFactory(starts_at=at(2099, 3, 10, 19))
    TrainerFactory.create_batch(2)
    client.get(reverse("otwb:planner", args=[session.pk]))  # warm session/middleware caches
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("otwb:planner", args=[session.pk]))
    for trainer in TrainerFactory.create_batch(30):
        other = SessionFactory(tour=session.tour, starts_at=at(2099, 3, 12, 19))
        services.assign_trainer(other, trainer, actor=coordinator)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("otwb:planner", args=[session.pk]))
    assert len(large) == len(small), [q["sql"][:200] for q in large]
    # The best 30 are shown, the whole pool on request, in as many queries.
    page = response.content.decode()
    assert page.count("Toewijzen<span") == PLANNER_ROWS == 30
    assert "Alle trainers tonen" in page
    with CaptureQueriesContext(connection) as everyone:
        response = client.get(reverse("otwb:planner", args=[session.pk]) + "?alle=1")
    assert response.content.decode().count("Toewijzen<span") == 32
    assert len(everyone) == len(small)


def test_coverage_counts_reach_and_runs_constant_queries(
    client_for, coordinator, tour, gemeente_a, provincie
):
    services.create_trajecten(tour)
    client = client_for(coordinator)
    first = client.get(reverse("otwb:coverage")).content.decode()
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("otwb:coverage"))
    Traject.objects.filter(organisation__province__code="PV26").update(
        voorgesprek_held_at=at(2025, 5, 1, 10), status="voorgesprek_held"
    )
    Traject.objects.filter(organisation=gemeente_a).update(session_held_at=at(2025, 6, 1, 10))
    with CaptureQueriesContext(connection) as after:
        response = client.get(reverse("otwb:coverage"))
    assert len(after) == len(before)
    page = response.content.decode()
    utrecht_gemeenten = Traject.objects.filter(
        tour=tour, organisation__province__code="PV26", organisation__kind=OrganisationKind.GEMEENTE
    ).count()
    assert f"{utrecht_gemeenten} (100%)" in page
    assert "<svg" in page and "style=" not in page
    # The charts are kept per process for the same figures: new figures are drawn anew.
    assert ">100%</text>" in page and ">100%</text>" not in first
    assert "Gemeente Groningen" in page  # still not approached


def test_coordinator_moves_a_traject_through_the_screens(client_for, coordinator, tour, gemeente_a):
    services.create_trajecten(tour)
    traject = Traject.objects.get(tour=tour, organisation=gemeente_a)
    client = client_for(coordinator)
    url = reverse("otwb:traject_detail", args=[traject.pk])
    assert "Nieuwe status" in client.get(url).content.decode()

    client.post(reverse("otwb:traject_transition", args=[traject.pk]), {"to": "invited"})
    traject.refresh_from_db()
    assert traject.status == "not_approached"  # no channel: refused with a message
    client.post(
        reverse("otwb:traject_transition", args=[traject.pk]),
        {"to": "invited", "channel": "letter"},
    )
    client.post(
        reverse("otwb:voorgesprek_plan", args=[traject.pk]), {"planned_at": "2026-02-02T10:00"}
    )
    talk = traject.voorgesprekken.get()
    client.post(
        reverse("otwb:voorgesprek_record", args=[talk.pk]),
        {"held_at": "2026-02-02T11:00", "themes": [Theme.INTEGRITY, Theme.MEDIA], "notes": "x"},
    )
    traject.refresh_from_db()
    assert traject.status == "voorgesprek_held"
    page = client.get(url).content.decode()
    assert "Integriteit" in page and "Media en publieke optredens" in page


def test_griffier_cannot_change_the_traject_status(client_for, griffier_a, utrecht_traject):
    response = client_for(griffier_a).post(
        reverse("otwb:traject_transition", args=[utrecht_traject.pk]),
        {"to": "declined", "reason": "x"},
    )
    assert response.status_code == 404
    utrecht_traject.refresh_from_db()
    assert utrecht_traject.status == "voorgesprek_held"


def test_coordinator_moves_a_session_and_participants_are_told(
    client_for, coordinator, griffier_a, gemeente_a
):
    session = SessionFactory(starts_at=at(2099, 3, 10, 19))
    session.organisations.set([gemeente_a])
    client = client_for(coordinator)
    assert (
        "Sessie verplaatsen"
        in client.get(reverse("otwb:session_detail", args=[session.pk])).content.decode()
    )
    client.post(
        reverse("otwb:session_reschedule", args=[session.pk]),
        {"date": "2099-03-17", "start_time": "19:30", "end_time": "22:00"},
    )
    session.refresh_from_db()
    assert session.starts_at == at(2099, 3, 17, 19, 30)
    assert griffier_a.notifications.filter(kind="otwb.session.moved").exists()


@pytest.mark.parametrize("name", ["traject_list", "session_list"])
def test_lists_run_constant_queries(client_for, coordinator, tour, gemeente_a, name):
    client = client_for(coordinator)
    url = reverse(f"otwb:{name}")
    Traject.objects.create(tour=tour, organisation=gemeente_a)
    SessionFactory(tour=tour)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    services.create_trajecten(tour)
    SessionFactory.create_batch(30, tour=tour)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def test_home_shows_the_tour_to_a_griffier(client_for, griffier_a):
    assert "Ondersteuningsteam" in client_for(griffier_a).get(reverse("home")).content.decode()
    assert client_for(griffier_a).get(reverse("otwb:home")).status_code == 200


def test_coordinator_downloads_the_invitation_letter(client_for, coordinator, tour, gemeente_a):
    import io

    from pypdf import PdfReader

    services.create_trajecten(tour)
    traject = Traject.objects.get(tour=tour, organisation=gemeente_a)
    response = client_for(coordinator).get(reverse("otwb:invitation_letter", args=[traject.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Uitnodiging: weerbaar bestuur in Utrecht" in text
    assert "Stadsplateau 1" in text  # the visiting address, nobody's home


def test_griffier_sees_their_place_on_the_waiting_list(
    client_for, coordinator, gemeente_a, gemeente_b, griffier_a
):
    session = SessionFactory(kind=SessionKind.DRIEHOEK, capacity=1, starts_at=at(2099, 4, 14, 13))
    services.register_driehoek(
        session, gemeente_b, people=driehoek_people("gro"), actor=coordinator
    )
    services.register_driehoek(session, gemeente_a, people=driehoek_people("utr"), actor=griffier_a)
    page = client_for(griffier_a).get(reverse("otwb:session_detail", args=[session.pk]))
    text = page.content.decode()
    assert "Wachtlijst (plaats 1)" in text
    assert "Burgemeester gro" not in text


def test_coordinator_logs_a_call_on_the_timeline_without_changing_status(
    client_for, coordinator, utrecht_traject
):
    client = client_for(coordinator)
    client.post(
        reverse("otwb:traject_contact", args=[utrecht_traject.pk]),
        {"note": "Griffier gebeld over een datum"},
    )
    utrecht_traject.refresh_from_db()
    assert utrecht_traject.status == "voorgesprek_held"
    page = client.get(reverse("otwb:traject_detail", args=[utrecht_traject.pk])).content.decode()
    assert "Contact: Griffier gebeld over een datum" in page


def test_a_session_seen_through_several_of_its_rows_is_listed_once_and_the_coordinator_reads_all(
    coordinator, gemeente_a, gemeente_b
):
    """A griffier of two gemeenten sees a session of both through two rows of the to-many
    scope, and gets it once; the coordinator's "everything" needs neither a filter nor
    DISTINCT."""
    griffier = make_user(Role.GRIFFIER, gemeente_a)
    memberships.seed(
        user=griffier,
        organisation=gemeente_b,
        role=Role.GRIFFIER,
        valid_from=timezone.now(),
        source="test",
    )
    griffier.__dict__.pop("active_memberships", None)
    session = SessionFactory(starts_at=at(2099, 3, 10, 19))
    session.organisations.add(gemeente_a, gemeente_b)
    other = SessionFactory(starts_at=at(2099, 3, 11, 19))

    assert list(Session.objects.visible_to(griffier)) == [session]

    everything = Session.objects.visible_to(coordinator)
    assert set(everything) == {session, other}
    sql = str(everything.query)
    assert "WHERE" not in sql
    assert "DISTINCT" not in sql


# Issue 21 §4: a session is cancelled only through its confirmation page, with a reason.


def test_a_session_is_not_cancelled_by_the_status_buttons_nor_without_a_reason(
    client_for, coordinator, utrecht_traject
):
    session = SessionFactory(tour=utrecht_traject.tour, starts_at=at(2099, 3, 10, 19))
    session.organisations.set([utrecht_traject.organisation])
    services.transition_traject(
        utrecht_traject, "session_planned", actor=coordinator, note="gepland"
    )
    client = client_for(coordinator)

    forged = client.post(
        reverse("otwb:session_transition", args=[session.pk]), {"to": SessionStatus.CANCELLED}
    )
    assert forged.status_code == 302
    empty = client.post(reverse("otwb:session_cancel", args=[session.pk]), {"reason": "  "})
    assert empty.status_code == 200
    assert "Geef een reden op voor het annuleren." in empty.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED

    done = client.post(
        reverse("otwb:session_cancel", args=[session.pk]), {"reason": "Zaal niet beschikbaar"}
    )
    assert done.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.cancel_reason) == (
        SessionStatus.CANCELLED,
        "Zaal niet beschikbaar",
    )
    utrecht_traject.refresh_from_db()
    assert utrecht_traject.status == "voorgesprek_held"
    assert utrecht_traject.events.filter(note="Sessie geannuleerd: Zaal niet beschikbaar").exists()
    # A second cancel of a cancelled session changes nothing.
    again = client.post(reverse("otwb:session_cancel", args=[session.pk]), {"reason": "x"})
    assert again.status_code == 302
    session.refresh_from_db()
    assert session.cancel_reason == "Zaal niet beschikbaar"


def test_only_the_coordinator_reaches_the_cancel_page(client_for, griffier_a, gemeente_a):
    session = SessionFactory(starts_at=at(2099, 3, 10, 19))
    session.organisations.set([gemeente_a])
    client = client_for(griffier_a)
    url = reverse("otwb:session_cancel", args=[session.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "weg ermee"}).status_code == 404
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED


def test_registration_prefill_comes_only_from_the_griffiers_own_gemeente(
    client_for, coordinator, gemeente_a, gemeente_b
):
    griffier_a = make_user(Role.GRIFFIER, gemeente_a, full_name="Griet A")
    griffier_b = make_user(Role.GRIFFIER, gemeente_b, full_name="Gert B")
    earlier = SessionFactory(kind=SessionKind.DRIEHOEK, starts_at=at(2099, 2, 1, 13))
    services.register_driehoek(
        earlier, gemeente_a, people=driehoek_people("utrecht"), actor=griffier_a
    )
    session = SessionFactory(kind=SessionKind.DRIEHOEK, starts_at=at(2099, 4, 1, 13))
    url = reverse("otwb:register", args=[session.pk])

    own = client_for(griffier_a).get(url).content.decode()
    assert 'value="Burgemeester utrecht"' in own and 'value="Griet A"' in own
    other = client_for(griffier_b).get(url).content.decode()
    assert "Burgemeester utrecht" not in other and "bm-utrecht" not in other
    assert 'value="Gert B"' in other
    # The coordinator registers for any gemeente and types the people in.
    assert 'value="' + coordinator.email not in client_for(coordinator).get(url).content.decode()
