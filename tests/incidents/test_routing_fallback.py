"""Every route reaches a person who exists: for every position in every kind of
organisation, with each combination of the receiving roles left empty, the melding and each
escalation level reach someone who holds a membership in force and may open the case, and
the reporter was shown exactly those people before sending and after."""

import html
import itertools
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents.constants import Status, TimelineKind
from incidents.models import Melding, TimelineEntry
from incidents.services.sweeps import escalate_due
from weerbaar import memberships
from weerbaar.constants import OrganisationKind, Position, Role
from weerbaar.models import Membership, Notification, User

from ..factories import make_user
from .factories import make_melding, membership_of
from .helpers import form_data
from .test_escalation import MONDAY_10

pytestmark = pytest.mark.django_db

G, S, V = Role.GRIFFIER, Role.SECRETARIS, Role.VOORZITTER
CIVIL = "civil_servant"
OTWB_TEAM = "Een vertrouwenspersoon van het OTWB"

# The reporters of each kind of organisation, with the roles of the receiving organisation
# that take their melding when held (DESIGN §4–5; a burgemeester's goes to the province).
REPORTERS = {
    OrganisationKind.GEMEENTE: {
        Position.BURGEMEESTER: {V},
        Position.WETHOUDER: {S, V},
        Position.RAADSLID: {G},
        CIVIL: {S},
    },
    OrganisationKind.PROVINCIE: {
        Position.CDK: {S, V},
        Position.GEDEPUTEERDE: {S, V},
        Position.STATENLID: {G},
        CIVIL: {S},
    },
    OrganisationKind.WATERSCHAP: {
        Position.DIJKGRAAF: {S, V},
        Position.AB_LID: {S},
        CIVIL: {S},
    },
}
# The chairs hold the voorzitter role of their own organisation themselves.
CHAIRS = {Position.CDK, Position.DIJKGRAAF}
ROLES_OF_KIND = {
    OrganisationKind.GEMEENTE: (G, S, V),
    OrganisationKind.PROVINCIE: (G, S, V),
    OrganisationKind.WATERSCHAP: (S, V),  # no griffier
}


def _cases():
    for kind, reporters in REPORTERS.items():
        for position, primary in reporters.items():
            receiving_kind = (
                OrganisationKind.PROVINCIE if position == Position.BURGEMEESTER else kind
            )
            roles = ROLES_OF_KIND[receiving_kind]
            for n in range(len(roles) + 1):
                for missing in itertools.combinations(roles, n):
                    yield pytest.param(
                        kind,
                        position,
                        frozenset(primary),
                        frozenset(missing),
                        id=f"{kind}-{position}-missing-{'+'.join(missing) or 'none'}",
                    )


@pytest.fixture
def staff(otwb_org, bzk):
    """The OTWB's vertrouwenspersoon and coordinator, and the functioneel beheerder."""
    return {
        "vp": make_user(Role.VERTROUWENSPERSOON, otwb_org),
        "coordinator": make_user(Role.OTWB_COORDINATOR, otwb_org),
        "beheerder": make_user(Role.FUNCTIONEEL_BEHEERDER, bzk),
    }


def _setup(kind, position, missing, orgs):
    home = orgs[kind]
    receiving = orgs[OrganisationKind.PROVINCIE] if position == Position.BURGEMEESTER else home
    if position == CIVIL:
        reporter = make_user(Role.CIVIL_SERVANT, home)
    else:
        reporter = make_user(Role.OFFICE_HOLDER, home, position)
    holders = {}
    for role in ROLES_OF_KIND[receiving.kind]:
        if role in missing:
            continue
        if role == V and position in CHAIRS:
            memberships.seed(user=reporter, organisation=home, role=V, source="test")
            holders[role] = reporter
        else:
            holders[role] = make_user(role, receiving)
    reporter.__dict__.pop("active_memberships", None)
    return reporter, receiving, holders


def _section(page, start, end="</section>"):
    begin = page.index(start)
    return page[begin : page.index(end, begin)]


def _in_force_and_sees(user_ids, melding):
    assert user_ids, "nobody received it"
    for user in User.objects.filter(pk__in=user_ids):
        assert Membership.objects.active().filter(user=user).exists(), user
        assert Melding.objects.triageable_by(user).filter(pk=melding.pk).exists(), user


def _notified(melding, kind):
    return set(
        Notification.objects.filter(
            link__startswith=reverse("incidents:case", args=[melding.pk]), kind=kind
        ).values_list("recipient_id", flat=True)
    )


@pytest.mark.parametrize(("kind", "position", "primary", "missing"), list(_cases()))
def test_every_route_reaches_a_person_and_the_reporter_is_shown_who(
    kind, position, primary, missing, gemeente_a, provincie, waterschap, staff, client_for
):
    orgs = {
        OrganisationKind.GEMEENTE: gemeente_a,
        OrganisationKind.PROVINCIE: provincie,
        OrganisationKind.WATERSCHAP: waterschap,
    }
    assert gemeente_a.province == provincie
    # The people exist now (in force from yesterday, so also at the frozen times ahead);
    # made inside the travel they would start the day before MONDAY_10, after the real now.
    reporter, receiving, holders = _setup(kind, position, missing, orgs)
    with time_machine.travel(MONDAY_10, tick=False):
        client = client_for(reporter)
        form_page = client.get(reverse("incidents:new")).content.decode()
        response = client.post(reverse("incidents:new"), form_data(categories=["physical"]))
        melding = Melding.objects.get(reporter=reporter)
        assert response.status_code == 302 and melding.status == Status.SUBMITTED
        assert melding.route_organisation == receiving
        case_page = client.get(response.url).content.decode()

    # Someone in force receives it and may open it; never the reporter themselves.
    at_filing = _notified(melding, "incidents.new")
    _in_force_and_sees(at_filing, melding)
    assert reporter.pk not in at_filing

    # Shown before sending and after: exactly the people notified, by name (the OTWB as
    # its team), with the deadline after sending.
    review = _section(form_page, 'data-route="regular"', 'data-route="confidential"')
    confirmation = _section(case_page, 'id="receivers-heading"')
    vp = staff["vp"]
    for user in User.objects.filter(pk__in=at_filing - {vp.pk}):
        assert html.escape(user.get_full_name()) in review
        assert html.escape(user.get_full_name()) in confirmation
    for user in holders.values():
        if user.pk not in at_filing:
            assert html.escape(user.get_full_name()) not in review
    assert (OTWB_TEAM in review) == (vp.pk in at_filing)
    assert (OTWB_TEAM in confirmation) == (vp.pk in at_filing)
    deadline = timezone.localtime(melding.ack_deadline).strftime("%H:%M")
    assert "U krijgt uiterlijk" in confirmation and deadline in confirmation

    # The route's own roles take it when someone holds them; otherwise the fallback is
    # recorded on the melding and its timeline and the staff are alerted.
    others = {role for role, user in holders.items() if user != reporter}
    if primary & others:
        assert melding.routing_fallback == ""
        assert {holders[r].pk for r in primary & others} <= at_filing
    else:
        assert melding.routing_fallback
        assert TimelineEntry.objects.filter(melding=melding, kind=TimelineKind.ROUTING).exists()
        assert _notified_gap(staff)

    # Each escalation level reaches someone in force who may open the case.
    last = 2 if position == CIVIL else 3
    for level in range(1, last + 1):
        with time_machine.travel(MONDAY_10 + timedelta(hours=level, minutes=level), tick=False):
            assert escalate_due() == 1
        reached = _notified(melding, f"incidents.escalation.{level}")
        _in_force_and_sees(reached, Melding.objects.get(pk=melding.pk))
        assert reporter.pk not in reached


def _notified_gap(staff):
    return Notification.objects.filter(
        kind="incidents.routing_gap", recipient__in=[staff["beheerder"], staff["coordinator"]]
    ).count()


def test_a_missing_griffier_is_alerted_once_per_organisation_and_day(
    raadslid_a, raadslid_b, voorzitter_a, voorzitter_b, staff
):
    with time_machine.travel(MONDAY_10, tick=False):
        first = make_melding(raadslid_a)
        make_melding(raadslid_a)
        make_melding(raadslid_b)
    with time_machine.travel(MONDAY_10 + timedelta(hours=3), tick=False):
        make_melding(raadslid_a)
    alerts = Notification.objects.filter(kind="incidents.routing_gap")
    # Gemeente A and gemeente B each lack a griffier: two alerts to each of the two staff.
    assert alerts.filter(recipient=staff["beheerder"]).count() == 2
    assert alerts.filter(recipient=staff["coordinator"]).count() == 2
    assert not alerts.filter(recipient=staff["vp"]).exists()
    for alert in alerts:
        assert "griffier" in alert.body and "Een account schreef" not in alert.body
        assert alert.link == ""
    assert first.routing_fallback == V
    assert Notification.objects.filter(recipient=voorzitter_a, kind="incidents.new").count() == 3
    with time_machine.travel(MONDAY_10 + timedelta(days=1), tick=False):
        make_melding(raadslid_a)
    assert alerts.filter(recipient=staff["beheerder"]).count() == 3


def test_an_escalation_to_an_empty_voorzitter_goes_to_the_secretaris(
    raadslid_a, griffier_a, secretaris_a, staff
):
    with time_machine.travel(MONDAY_10, tick=False):
        melding = make_melding(raadslid_a, categories=["physical"])
    assert melding.routing_fallback == ""
    assert not Melding.objects.visible_to(secretaris_a).filter(pk=melding.pk).exists()
    for level in (1, 2):
        with time_machine.travel(MONDAY_10 + timedelta(hours=level, minutes=1), tick=False):
            assert escalate_due() == 1
    assert _notified(melding, "incidents.escalation.2") == {secretaris_a.pk}
    melding.refresh_from_db()
    assert melding.routing_fallback == S
    secretaris = User.objects.get(pk=secretaris_a.pk)
    assert Melding.objects.triageable_by(secretaris).filter(pk=melding.pk).exists()
    line = TimelineEntry.objects.get(melding=melding, kind=TimelineKind.ROUTING)
    assert "burgemeester" in line.summary.lower()


def test_a_reminder_skips_an_assignee_who_left_for_the_next_in_the_chain(
    raadslid_a, griffier_a, voorzitter_a, staff
):
    from incidents import services
    from incidents.services.sweeps import remind_idle

    melding = make_melding(raadslid_a)
    services.transition(melding, Status.IN_TRIAGE, actor=griffier_a)
    memberships.end_all(user=griffier_a)
    with time_machine.travel(timezone.now() + timedelta(days=15), tick=False):
        assert remind_idle() == 1
    assert _notified(melding, "incidents.reminder.idle") == {voorzitter_a.pk}
    assert Melding.objects.get(pk=melding.pk).routing_fallback == V


def _fallback_escalation_queries(reporters, n):
    """File ``n`` meldingen while each gemeente has a griffier, then the griffiers leave:
    the sweep's reminders all fall back, and it records and alerts that."""
    start = timezone.now()
    griffiers = [make_user(G, membership_of(r).organisation) for r in reporters]
    meldingen = [make_melding(reporters[i % len(reporters)]) for i in range(n)]
    for griffier in griffiers:
        memberships.end_all(user=griffier)
    with (
        time_machine.travel(start + timedelta(days=3), tick=False),
        CaptureQueriesContext(connection) as ctx,
    ):
        assert escalate_due() == n
    assert TimelineEntry.objects.filter(melding__in=meldingen, kind=TimelineKind.ROUTING).count()
    assert Notification.objects.filter(kind="incidents.routing_gap").exists()
    Notification.objects.filter(kind="incidents.routing_gap").delete()
    Melding.objects.filter(pk__in=[m.pk for m in meldingen]).delete()
    return len(ctx)


def test_fallback_statements_do_not_grow_with_the_number_due(
    raadslid_a, raadslid_b, voorzitter_a, secretaris_b, staff
):
    """Every reminder of the sweep falls back (to the voorzitter, to the secretaris) and is
    recorded, yet a sweep costs the same statements for 2 meldingen as for 8."""
    few = _fallback_escalation_queries([raadslid_a, raadslid_b], 2)
    many = _fallback_escalation_queries([raadslid_a, raadslid_b], 8)
    assert few == many
    assert Notification.objects.filter(recipient=secretaris_b, kind="incidents.escalation.1")
    assert Notification.objects.filter(recipient=voorzitter_a, kind="incidents.escalation.1")
