"""Readiness of every organisation (issue 19 §3): the four checks on a freshly loaded
gemeente and after it is set up, a route whose only receiver left, who may see the national
page, its CSV and its audit, the start-page checklist, and a query count that does not grow
with the number of organisations."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents import readiness
from incidents.models import LocalProtocol
from weerbaar import memberships
from weerbaar.constants import AuditAction, OrganisationKind, Position, Role
from weerbaar.models import AuditEvent, Membership, Organisation

from ..conftest import fill_profile
from ..factories import make_user

pytestmark = pytest.mark.django_db


def _of(code):
    org = readiness.organisations().get(code=code)
    return readiness.compute(readiness.organisations().filter(pk=org.pk))[0]


def _set_up(org):
    fill_profile(org, street="Stadhuisplein 1", postcode="3811 LM", place="Amersfoort")
    people = {
        role: make_user(role, org) for role in (Role.GRIFFIER, Role.SECRETARIS, Role.VOORZITTER)
    }
    LocalProtocol.objects.create(organisation=org, text_nl="Meld bij de griffie: 033 469 5000.")
    return people


@pytest.fixture
def amersfoort(organisations):
    return Organisation.objects.get(code="GM0307")


def test_a_freshly_loaded_gemeente_is_not_ready_and_lists_all_four_gaps(amersfoort):
    state = _of("GM0307")
    assert not state.ready
    assert [item.key for item in state.gaps] == ["address", "routes", "text", "accounts"]
    gaps = [item.gap for item in state.gaps]
    assert gaps[0] == "adres ontbreekt"
    # The burgemeester's melding goes to the province: not the gemeente's route.
    assert gaps[1] == "geen ontvanger voor: Wethouder, Raadslid, Ambtenaar"
    assert gaps[3] == "geen account: griffier, gemeentesecretaris, burgemeester (voorzitter)"
    assert state.gaps[0].url == reverse("organisation_profile_of", args=["GM0307"])
    assert state.gaps[1].url == reverse("incidents:protocol_routes", args=[amersfoort.pk])


def test_after_profile_people_and_text_the_gemeente_is_ready(amersfoort):
    _set_up(amersfoort)
    state = _of("GM0307")
    assert state.ready, [item.gap for item in state.gaps]
    counts = dict(state.counts)
    assert counts["Griffier"] == 1 and counts["Raadslid"] == 0


def test_a_route_whose_only_receiver_left_makes_it_not_ready(waterschap):
    fill_profile(waterschap, street="Dijk 1", postcode="3990 AA", place="Houten")
    secretaris = make_user(Role.SECRETARIS, waterschap)
    make_user(Role.OFFICE_HOLDER, waterschap, Position.DIJKGRAAF)
    LocalProtocol.objects.create(organisation=waterschap, text_nl="Meld bij de secretaris.")
    dijkgraaf_role = Membership.objects.get(organisation=waterschap, role=Role.OFFICE_HOLDER)
    voorzitter = make_user(Role.VOORZITTER, waterschap)
    assert _of("WS0636").ready
    for user in (voorzitter, secretaris):
        membership = Membership.objects.get(user=user, organisation=waterschap)
        memberships.end(membership=membership, actor=None, reason="vertrokken")
    state = _of("WS0636")
    assert not state.ready
    assert state.gaps[0].key == "routes"
    assert "Lid algemeen bestuur" in state.gaps[0].gap and "Ambtenaar" in state.gaps[0].gap
    assert dijkgraaf_role.pk  # an office holder is no receiver


def test_national_bodies_are_not_listed(organisations):
    kinds = {r.organisation.kind for r in readiness.compute()}
    assert OrganisationKind.NATIONAL not in kinds
    assert len(readiness.compute()) == 375


@pytest.mark.parametrize("role, fixture", [(Role.GRIFFIER, "gemeente_a"), (Role.ANALYST, "bzk")])
def test_others_get_404_on_the_national_page_and_its_export(client_for, request, role, fixture):
    client = client_for(make_user(role, request.getfixturevalue(fixture)))
    assert client.get(reverse("incidents:readiness")).status_code == 404
    assert client.get(reverse("incidents:readiness_export")).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize("role", [Role.FUNCTIONEEL_BEHEERDER, Role.OTWB_COORDINATOR])
def test_beheerder_and_coordinator_see_every_organisation(client_for, bzk, otwb_org, role):
    user = make_user(role, bzk if role == Role.FUNCTIONEEL_BEHEERDER else otwb_org)
    response = client_for(user).get(reverse("incidents:readiness"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gemeente Amersfoort" in html and "Waterschap" in html
    profile = reverse("organisation_profile_of", args=["GM0307"])
    # Links only where the viewer may follow them (the coordinator may not).
    assert (profile in html) == (role == Role.FUNCTIONEEL_BEHEERDER)


def test_filter_by_province_and_kind_and_sort_by_state(client_for, bzk, amersfoort, provincie):
    _set_up(amersfoort)
    client = client_for(make_user(Role.FUNCTIONEEL_BEHEERDER, bzk))
    query = {"province": provincie.pk, "kind": "gemeente", "sort": "state"}
    rows = client.get(reverse("incidents:readiness"), query).context["rows"]
    assert rows[0].organisation.pk == amersfoort.pk and rows[0].ready
    assert all(r.organisation.kind == "gemeente" for r in rows)
    assert {r.organisation.province_id for r in rows} == {provincie.pk}
    assert len(rows) == Organisation.objects.filter(province=provincie, kind="gemeente").count()
    everything = client.get(reverse("incidents:readiness"), {"province": provincie.pk})
    assert provincie.pk in [r.organisation.pk for r in everything.context["rows"]]
    province_cell = f'<td class="utrecht-table__cell">{provincie.name}</td>'
    assert province_cell in everything.content.decode()


def test_csv_lists_state_and_gaps_and_is_audited_as_an_export(client_for, bzk, amersfoort):
    _set_up(amersfoort)
    user = make_user(Role.FUNCTIONEEL_BEHEERDER, bzk)
    response = client_for(user).get(reverse("incidents:readiness_export"), {"kind": "gemeente"})
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0][:6] == ["Code", "Organisatie", "Soort", "Provincie", "Gereed", "Ontbreekt"]
    by_code = {row[0]: row for row in rows[1:]}
    assert len(by_code) == 342
    assert by_code["GM0307"][4] == "ja" and by_code["GM0307"][5] == ""
    assert by_code["GM0344"][4] == "nee" and "adres ontbreekt" in by_code["GM0344"][5]
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, actor=user)
    assert event.detail["kind"] == "readiness.csv"
    assert event.detail["count"] == 342
    assert event.detail["filters"] == ["kind"]


def test_start_page_shows_the_griffiers_checklist_with_links(client_for, amersfoort):
    griffier = make_user(Role.GRIFFIER, amersfoort)
    html = client_for(griffier).get(reverse("home")).content.decode()
    assert "Klaar voor gebruik? — Amersfoort" in html
    assert "Nog 4 punten te doen." in html
    assert reverse("organisation_profile_of", args=["GM0307"]) in html
    assert reverse("incidents:protocol_routes", args=[amersfoort.pk]) in html
    _set_up(amersfoort)
    html = client_for(griffier).get(reverse("home")).content.decode()
    assert "Uw organisatie is gereed." in html


def test_the_start_page_keeps_the_checklist_until_something_changes(client_for, amersfoort):
    """The checklist's queries (the organisation, its protocol's routes, its people in force)
    are run once, as the national page's rows are kept; a change forgets it (the test above:
    the filled-in profile shows at once)."""
    client = client_for(make_user(Role.GRIFFIER, amersfoort))
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as kept:
        assert "Nog 4 punten te doen." in client.get(reverse("home")).content.decode()
    readiness.forget()
    with CaptureQueriesContext(connection) as computed:
        assert "Nog 4 punten te doen." in client.get(reverse("home")).content.decode()

    def routes_read(ctx):
        return any("incidents_protocolroute" in q["sql"] for q in ctx.captured_queries)

    assert routes_read(computed) and not routes_read(kept)
    assert len(kept.captured_queries) == len(computed.captured_queries) - 4


def test_a_raadslid_sees_no_checklist(client_for, amersfoort):
    raadslid = make_user(Role.OFFICE_HOLDER, amersfoort, Position.RAADSLID)
    assert "Klaar voor gebruik?" not in client_for(raadslid).get(reverse("home")).content.decode()


def _count(client, active):
    """The national page's queries with only ``active`` organisations in use."""
    keep = list(readiness.organisations().values_list("pk", flat=True)[:active])
    Organisation.objects.filter(kind__in=readiness.KINDS).exclude(pk__in=keep).update(
        is_active=False
    )
    client.get(reverse("incidents:readiness"))  # warm the session
    readiness.forget()  # computed again, as after any change (``update`` sends no signal)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("incidents:readiness"))
    assert len(response.context["rows"]) == active
    Organisation.objects.update(is_active=True)
    return len(ctx.captured_queries)


def test_the_national_page_costs_the_same_queries_for_3_30_and_375(client_for, bzk, amersfoort):
    _set_up(amersfoort)
    client = client_for(make_user(Role.FUNCTIONEEL_BEHEERDER, bzk))
    counts = {n: _count(client, n) for n in (3, 30, 375)}
    assert counts[3] == counts[30] == counts[375], counts
    assert counts[375] <= 12, counts


def test_the_national_page_is_kept_until_a_profile_protocol_or_membership_changes(
    client_for, bzk, amersfoort
):
    """Computing 375 organisations is the page's cost: it is kept, and forgotten by a change."""
    client = client_for(make_user(Role.FUNCTIONEEL_BEHEERDER, bzk))
    url = reverse("incidents:readiness")

    def amersfoort_ready():
        rows = client.get(url, {"kind": "gemeente"}).context["rows"]
        return next(r for r in rows if r.organisation.pk == amersfoort.pk).ready

    assert not amersfoort_ready()
    readiness.forget()
    with CaptureQueriesContext(connection) as computed:
        client.get(url)
    with CaptureQueriesContext(connection) as kept:
        client.get(url)
    assert len(kept.captured_queries) < len(computed.captured_queries)
    _set_up(amersfoort)  # profile, memberships and protocol text, each saved as usual
    assert amersfoort_ready()
