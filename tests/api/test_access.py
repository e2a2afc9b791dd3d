"""Every endpoint × scope × own/foreign organisation. A client sees what a person of its
role in its organisation sees (``visible_to``), free text only with ``meldingen:inhoud``,
and another organisation's melding is a 404 by list or guessed id."""

from datetime import timedelta

import pytest
import time_machine

from incidents.constants import AangifteStatus
from incidents.services import followup
from weerbaar.constants import AuditAction, Position, Role
from weerbaar.models import AuditEvent

from ..factories import make_user
from ..incidents.factories import make_melding
from .conftest import basic

pytestmark = pytest.mark.django_db

LEZEN = ("meldingen:lezen",)
INHOUD = ("meldingen:lezen", "meldingen:inhoud")
SCHRIJVEN = ("aangifte:schrijven",)
ALLES = ("meldingen:lezen", "meldingen:inhoud", "aangifte:schrijven")


@pytest.fixture
def aangifte_a(melding_a, gemeente_a):
    griffier = make_user(Role.GRIFFIER, gemeente_a)
    return followup.save_aangifte(
        melding_a, actor=griffier, data={"status": AangifteStatus.PREPARED}
    )


@pytest.fixture
def aangifte_b(melding_b, gemeente_b):
    griffier = make_user(Role.GRIFFIER, gemeente_b)
    return followup.save_aangifte(
        melding_b, actor=griffier, data={"status": AangifteStatus.PREPARED}
    )


# --- list ----------------------------------------------------------------------------------


@pytest.mark.parametrize("scopes", [LEZEN, INHOUD, ALLES])
def test_list_shows_own_organisations_meldingen_only(register, melding_a, melding_b, scopes):
    caller = register(scopes=scopes)
    response = caller.get("/api/v1/meldingen")
    assert response.status_code == 200
    assert [m["id"] for m in response.json()["results"]] == [melding_a.pk]


def test_list_never_carries_free_text_even_with_content_scope(register, melding_a):
    caller = register(scopes=INHOUD)
    body = caller.get("/api/v1/meldingen").content.decode()
    assert "Kerkstraat" not in body
    assert "Buurman" not in body


def test_list_needs_read_scope(register, melding_a):
    response = register(scopes=SCHRIJVEN).get("/api/v1/meldingen")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_foreign_client_lists_its_own_and_not_ours(register, gemeente_b, melding_a, melding_b):
    caller = register(gemeente_b, scopes=ALLES)
    ids = [m["id"] for m in caller.get("/api/v1/meldingen").json()["results"]]
    assert ids == [melding_b.pk]


def test_client_sees_what_its_role_sees_not_the_whole_organisation(register, gemeente_a, melding_a):
    """A griffier's client does not get the wethouder's melding (the secretaris' route)."""
    wethouder = make_user(Role.OFFICE_HOLDER, gemeente_a, Position.WETHOUDER)
    wethouder_melding = make_melding(wethouder)
    griffier_ids = [m["id"] for m in register().get("/api/v1/meldingen").json()["results"]]
    secretaris_ids = [
        m["id"] for m in register(role=Role.SECRETARIS).get("/api/v1/meldingen").json()["results"]
    ]
    assert griffier_ids == [melding_a.pk]
    assert secretaris_ids == [wethouder_melding.pk]


def test_confidential_melding_is_not_for_the_organisations_client(register, raadslid_a):
    make_melding(raadslid_a, confidential=True)
    assert register(scopes=ALLES).get("/api/v1/meldingen").json()["results"] == []


def test_list_filters_like_the_dashboard(register, raadslid_a):
    from incidents.constants import Category

    threat = make_melding(raadslid_a, categories=[Category.THREAT])
    make_melding(raadslid_a, categories=[Category.VERBAL])
    caller = register()
    response = caller.get("/api/v1/meldingen?category=threat")
    assert [m["id"] for m in response.json()["results"]] == [threat.pk]
    response = caller.get("/api/v1/meldingen?status=closed")
    assert response.json()["results"] == []
    response = caller.get("/api/v1/meldingen?severity=nonsense")
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "severity"


def test_cursor_pages_through_everything_once(register, raadslid_a):
    made = {make_melding(raadslid_a).pk for _ in range(5)}
    caller = register()
    seen, url = [], "/api/v1/meldingen?pageSize=2"
    while url:
        page = caller.get(url).json()
        seen += [m["id"] for m in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(made)
    assert len(seen) == len(made)


# --- detail --------------------------------------------------------------------------------


def test_detail_without_content_scope_has_no_free_text(register, melding_a):
    response = register(scopes=LEZEN).get(f"/api/v1/meldingen/{melding_a.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["content"] is None
    assert body["categories"] == ["threat"]
    assert "Kerkstraat" not in response.content.decode()


def test_detail_with_content_scope_has_free_text_and_reporter(register, melding_a, raadslid_a):
    body = register(scopes=INHOUD).get(f"/api/v1/meldingen/{melding_a.pk}").json()
    assert body["content"]["description"] == "Hij stond bij mijn huis aan de Kerkstraat."
    assert body["content"]["witnesses"] == "Buurman"
    assert body["content"]["reporterName"] == raadslid_a.get_full_name()


def test_token_asked_with_fewer_scopes_gets_fewer(register, melding_a):
    caller = register(scopes=INHOUD)
    caller.token = caller.fetch_token(scope="meldingen:lezen")
    assert caller.get(f"/api/v1/meldingen/{melding_a.pk}").json()["content"] is None


def test_token_cannot_ask_for_a_scope_the_client_lacks(register):
    caller = register(scopes=LEZEN)
    response = caller.http.post(
        "/api/v1/oauth/token",
        {"grant_type": "client_credentials", "scope": "meldingen:inhoud"},
        HTTP_AUTHORIZATION=basic(caller.client_id, caller.secret),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


@pytest.mark.parametrize("scopes", [LEZEN, INHOUD, ALLES])
def test_guessed_id_of_other_organisation_is_404_and_audited(
    register, gemeente_b, melding_a, scopes
):
    caller = register(gemeente_b, scopes=scopes)
    response = caller.get(f"/api/v1/meldingen/{melding_a.pk}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert "Kerkstraat" not in response.content.decode()
    denied = AuditEvent.objects.for_object(melding_a).get(action=AuditAction.ACCESS_DENIED)
    assert denied.actor_id == caller.client.account_id
    assert denied.detail["api_client"] == caller.client.pk


def test_id_that_does_not_exist_is_the_same_404(register):
    response = register().get("/api/v1/meldingen/999999")
    assert response.status_code == 404


def test_detail_needs_read_scope(register, melding_a):
    assert register(scopes=SCHRIJVEN).get(f"/api/v1/meldingen/{melding_a.pk}").status_code == 403


def test_every_read_is_audited_as_a_view_by_the_client(register, melding_a):
    caller = register()
    caller.get("/api/v1/meldingen")
    caller.get(f"/api/v1/meldingen/{melding_a.pk}")
    views = AuditEvent.objects.for_object(melding_a).filter(action=AuditAction.VIEW)
    assert views.count() == 2
    assert {v.actor_id for v in views} == {caller.client.account_id}
    assert {v.detail["api_client"] for v in views} == {caller.client.pk}
    assert str(views[0].actor) == "API-koppeling Registratiesysteem"


# --- aangifte ------------------------------------------------------------------------------


@pytest.mark.parametrize("scopes", [LEZEN, ALLES])
def test_aangifte_readable_with_read_scope(register, aangifte_a, melding_a, scopes):
    response = register(scopes=scopes).get(f"/api/v1/meldingen/{melding_a.pk}/aangifte")
    assert response.status_code == 200
    assert response.json()["status"] == "prepared"


def test_aangifte_read_needs_read_scope(register, aangifte_a, melding_a):
    response = register(scopes=SCHRIJVEN).get(f"/api/v1/meldingen/{melding_a.pk}/aangifte")
    assert response.status_code == 403


def test_aangifte_of_other_organisation_is_404(register, gemeente_b, aangifte_a, melding_a):
    caller = register(gemeente_b, scopes=ALLES)
    assert caller.get(f"/api/v1/meldingen/{melding_a.pk}/aangifte").status_code == 404
    response = caller.patch(f"/api/v1/meldingen/{melding_a.pk}/aangifte", {"status": "filed"})
    assert response.status_code == 404
    aangifte_a.refresh_from_db()
    assert aangifte_a.status == "prepared"


def test_no_aangifte_yet_is_404(register, melding_a):
    assert register().get(f"/api/v1/meldingen/{melding_a.pk}/aangifte").status_code == 404


def test_aangifte_written_with_write_scope_through_the_service(register, aangifte_a, melding_a):
    caller = register(scopes=SCHRIJVEN)
    response = caller.patch(
        f"/api/v1/meldingen/{melding_a.pk}/aangifte",
        {"status": "filed", "filedOn": "2026-12-01", "registrationNumber": "PL0900-2026-1"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "filed"
    aangifte_a.refresh_from_db()
    assert aangifte_a.status == "filed"
    assert aangifte_a.registration_number == "PL0900-2026-1"
    entry = melding_a.timeline.order_by("-at", "-pk").first()
    assert entry.kind == "aangifte"
    assert entry.actor_id == caller.client.account_id


def test_an_aangifte_written_over_the_api_sets_when_its_reminders_are_due(
    register, aangifte_a, melding_a
):
    from incidents.models import Melding

    caller = register(scopes=SCHRIJVEN)
    caller.patch(f"/api/v1/meldingen/{melding_a.pk}/aangifte", {"status": "filed"})
    aangifte_a.refresh_from_db()
    melding = Melding.objects.get(pk=melding_a.pk)
    assert melding.police_reminder_at == aangifte_a.confirm_due_at
    assert melding.aangifte_reminder_at == aangifte_a.status_changed_at + timedelta(days=14)


def test_police_contact_system_records_the_police_confirmation(register, aangifte_a, melding_a):
    from incidents.services.sweeps import remind_aangifte_confirmation

    caller = register(scopes=SCHRIJVEN)
    url = f"/api/v1/meldingen/{melding_a.pk}/aangifte"
    assert caller.patch(url, {"status": "filed"}).json()["policeConfirmedOn"] is None
    response = caller.patch(url, {"status": "filed", "policeConfirmedOn": "2026-12-02"})
    assert response.status_code == 200, response.content
    assert response.json()["policeConfirmedOn"] == "2026-12-02"
    aangifte_a.refresh_from_db()
    assert str(aangifte_a.police_confirmed_on) == "2026-12-02"
    # Confirmed: the triager is not reminded, however long it has been.
    with time_machine.travel(aangifte_a.confirm_due_at + timedelta(days=30), tick=False):
        assert remind_aangifte_confirmation() == 0


def test_aangifte_write_needs_write_scope(register, aangifte_a, melding_a):
    caller = register(scopes=INHOUD)
    response = caller.patch(f"/api/v1/meldingen/{melding_a.pk}/aangifte", {"status": "filed"})
    assert response.status_code == 403
    aangifte_a.refresh_from_db()
    assert aangifte_a.status == "prepared"


def test_aangifte_write_refuses_an_unknown_status_in_problem_details(
    register, aangifte_a, melding_a
):
    caller = register(scopes=SCHRIJVEN)
    response = caller.patch(f"/api/v1/meldingen/{melding_a.pk}/aangifte", {"status": "gedaan"})
    assert response.status_code == 400
    body = response.json()
    assert body["invalidParams"][0]["name"] == "status"
    assert body["title"] == "Ongeldig verzoek"
