"""The local protocol (issue 19 §2): every allowed option against the routing, the snapshot
that keeps an old case where it was, the form that refuses what the table does not allow,
who may edit it, the audit of a change, and the published text (escaped, in the reader's
language)."""

import html
import itertools
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from incidents import protocol
from incidents.models import LocalProtocol, Melding, ProtocolRoute
from incidents.protocol import CIVIL_SERVANT, OPTIONS, Choice
from incidents.routing import OTWB_ROUTES, decide
from incidents.services.protocol import save_protocol
from incidents.services.sweeps import escalate_due
from weerbaar import memberships
from weerbaar.constants import AuditAction, OrganisationKind, Position, Role
from weerbaar.models import AuditEvent, Notification

from ..factories import make_user
from .factories import membership_of
from .helpers import form_data
from .test_escalation import MONDAY_10

pytestmark = pytest.mark.django_db

G, S, V = Role.GRIFFIER, Role.SECRETARIS, Role.VOORZITTER
CHAIRS = {Position.CDK, Position.DIJKGRAAF}
ROLES_OF_KIND = {
    OrganisationKind.GEMEENTE: (G, S, V),
    OrganisationKind.PROVINCIE: (G, S, V),
    OrganisationKind.WATERSCHAP: (S, V),
}


def _subsets(roles, *, empty):
    roles = sorted(roles)
    for n in range(0 if empty else 1, len(roles) + 1):
        yield from (frozenset(c) for c in itertools.combinations(roles, n))


def _cases():
    """Every position of every kind with every choice ``OPTIONS`` allows (a single allowed
    escalation role is the design's and not a choice)."""
    for kind in ROLES_OF_KIND:
        for key in protocol.positions_of(kind):
            options = OPTIONS[key]
            escalations = (
                list(_subsets(options.escalate, empty=False))
                if len(options.escalate) > 1
                else [frozenset()]
            )
            for receive in _subsets(options.receive, empty=True):
                for escalate in escalations:
                    name = f"{kind}-{key}-plus-{'+'.join(sorted(receive)) or 'none'}"
                    name += f"-esc-{'+'.join(sorted(escalate)) or 'default'}"
                    yield pytest.param(kind, key, Choice(receive, escalate), id=name)


@pytest.fixture
def staff(otwb_org, bzk):
    return {
        "vp": make_user(Role.VERTROUWENSPERSOON, otwb_org),
        "beheerder": make_user(Role.FUNCTIONEEL_BEHEERDER, bzk),
    }


def _reporter(key, home):
    if key == CIVIL_SERVANT:
        return make_user(Role.CIVIL_SERVANT, home)
    return make_user(Role.OFFICE_HOLDER, home, key)


def _holders(receiving, reporter, key):
    holders = {}
    for role in ROLES_OF_KIND[receiving.kind]:
        if role == V and key in CHAIRS:
            memberships.seed(user=reporter, organisation=receiving, role=V, source="test")
            holders[role] = reporter
        else:
            holders[role] = make_user(role, receiving)
    reporter.__dict__.pop("active_memberships", None)
    return holders


def _notified(melding, kind):
    return set(
        Notification.objects.filter(
            link__startswith=reverse("incidents:case", args=[melding.pk]), kind=kind
        ).values_list("recipient_id", flat=True)
    )


def _section(page, start, end="</section>"):
    begin = page.index(start)
    return page[begin : page.index(end, begin)]


@pytest.mark.parametrize(("kind", "key", "choice"), list(_cases()))
def test_every_allowed_option_routes_the_melding_and_its_escalation(
    kind, key, choice, gemeente_a, provincie, waterschap, staff, client_for
):
    home = {
        OrganisationKind.GEMEENTE: gemeente_a,
        OrganisationKind.PROVINCIE: provincie,
        OrganisationKind.WATERSCHAP: waterschap,
    }[kind]
    # The people exist now (in force from yesterday, so also at the frozen times ahead);
    # made inside the travel they would start the day before MONDAY_10, after the real now.
    reporter = _reporter(key, home)
    decided = decide(membership_of(reporter))
    receiving = decided.organisation
    holders = _holders(receiving, reporter, key)
    with time_machine.travel(MONDAY_10, tick=False):
        editor = staff["beheerder"]
        save_protocol(
            organisation=home,
            actor=editor,
            choices={key: choice},
            text_nl="",
            text_en="",
        )
        client = client_for(reporter)
        form_page = client.get(reverse("incidents:new")).content.decode()
        response = client.post(reverse("incidents:new"), form_data(categories=["physical"]))
        melding = Melding.objects.get(reporter=reporter)
        case_page = client.get(response.url).content.decode()

    snap = protocol.snapshot(decided, key, choice)
    assert melding.protocol == snap
    expected_roles = set(snap["receive"]) - {"otwb"}
    # The chosen roles are the default's plus exactly what the protocol added.
    defaults = protocol.snapshot(decided, key, None)["receive"]
    assert expected_roles == (set(defaults) | set(choice.receive)) - {"otwb"}
    expected = {holders[r].pk for r in expected_roles if holders[r] != reporter}
    vp = staff["vp"].pk
    at_filing = _notified(melding, "incidents.new")
    if expected:
        assert at_filing - {vp} == expected
    assert (vp in at_filing) == decided.otwb_involved
    review = _section(form_page, 'data-route="regular"', 'data-route="confidential"')
    confirmation = _section(case_page, 'id="receivers-heading"')
    for role, user in holders.items():
        name = html.escape(user.get_full_name())
        if user.pk in at_filing:
            assert name in review and name in confirmation, role
        elif user != reporter:
            assert name not in review and name not in confirmation, role
    for pk in at_filing - {vp}:
        assert (
            Melding.objects.triageable_by(next(u for u in holders.values() if u.pk == pk))
            .filter(pk=melding.pk)
            .exists()
        )

    # Level 1 reminds the receivers; level 2 goes to the configured escalation step.
    with time_machine.travel(MONDAY_10 + timedelta(hours=1, minutes=1), tick=False):
        assert escalate_due() == 1
    assert _notified(melding, "incidents.escalation.1") == at_filing
    with time_machine.travel(MONDAY_10 + timedelta(hours=2, minutes=2), tick=False):
        assert escalate_due() == 1
    reached = _notified(melding, "incidents.escalation.2")
    configured = {holders[r].pk for r in snap["escalate"] if r in holders}
    configured.discard(reporter.pk)
    if configured:
        assert reached - {vp} == configured
        assert (vp in reached) == (decided.route in OTWB_ROUTES)
        melding.refresh_from_db()
        for pk in configured:
            user = next(u for u in holders.values() if u.pk == pk)
            assert Melding.objects.triageable_by(user).filter(pk=melding.pk).exists()
    else:
        assert reached  # the design's fallback stands in (test_routing_fallback)


def test_a_protocol_change_after_filing_does_not_move_an_old_case(
    gemeente_a, raadslid_a, griffier_a, secretaris_a, voorzitter_a, staff, client_for
):
    with time_machine.travel(MONDAY_10, tick=False):
        client = client_for(raadslid_a)
        response = client.post(reverse("incidents:new"), form_data(categories=["physical"]))
        melding = Melding.objects.get(reporter=raadslid_a)
        save_protocol(
            organisation=gemeente_a,
            actor=griffier_a,
            choices={Position.RAADSLID: Choice(frozenset({V}), frozenset({S}))},
            text_nl="",
            text_en="",
        )
        case_page = client.get(response.url).content.decode()
    melding.refresh_from_db()
    assert melding.protocol == {"receive": [G], "escalate": [V]}
    confirmation = _section(case_page, 'id="receivers-heading"')
    assert html.escape(voorzitter_a.get_full_name()) not in confirmation
    assert _notified(melding, "incidents.new") == {griffier_a.pk}
    assert not Melding.objects.triageable_by(voorzitter_a).filter(pk=melding.pk).exists()
    with time_machine.travel(MONDAY_10 + timedelta(hours=1, minutes=1), tick=False):
        escalate_due()
    assert _notified(melding, "incidents.escalation.1") == {griffier_a.pk}
    with time_machine.travel(MONDAY_10 + timedelta(hours=2, minutes=2), tick=False):
        escalate_due()
    assert _notified(melding, "incidents.escalation.2") == {voorzitter_a.pk}
    assert not Melding.objects.triageable_by(secretaris_a).filter(pk=melding.pk).exists()

    # A melding sent now follows the new protocol.
    other = make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    client_for(other).post(reverse("incidents:new"), form_data(categories=["physical"]))
    new = Melding.objects.get(reporter=other)
    assert new.protocol == {"receive": [G, V], "escalate": [S]}
    assert _notified(new, "incidents.new") == {griffier_a.pk, voorzitter_a.pk}


def _page(organisation):
    return reverse("incidents:protocol_routes", args=[organisation.pk])


def _post(organisation, **fields):
    data = {"text_nl": "", "text_en": "", **fields}
    return data


def test_the_preview_shows_the_names_and_only_the_confirm_step_saves(
    gemeente_a, raadslid_a, griffier_a, voorzitter_a, client_for
):
    client = client_for(griffier_a)
    assert client.get(reverse("incidents:protocol_mine")).url == _page(gemeente_a)
    data = _post(
        gemeente_a,
        receive_raadslid=[V],
        escalate_raadslid=[V, S],
        action="preview",
    )
    preview = client.post(_page(gemeente_a), data)
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "Controleer het protocol" in body
    raad = body[body.index("<dt>Raadslid</dt>") :]
    raad = raad[: raad.index("</dd>")]
    assert html.escape(griffier_a.get_full_name()) in raad
    assert html.escape(voorzitter_a.get_full_name()) in raad
    assert not ProtocolRoute.objects.exists()

    client.post(_page(gemeente_a), {**data, "action": "confirm"})
    row = ProtocolRoute.objects.get(protocol__organisation=gemeente_a)
    assert (row.position, row.receive, row.escalate) == (
        Position.RAADSLID,
        [V],
        [S, V],
    )


@pytest.mark.parametrize(
    "forged",
    [
        {"receive_raadslid": [S]},  # a raadslid's melding never to the secretaris
        {"receive_raadslid": [G, "otwb"]},
        {"escalate_raadslid": [G]},
        {"escalate_raadslid": []},
        {"receive_civil_servant": [G]},  # the griffier is not the staff's employer
        {"text_nl": "x" * 1001},
    ],
)
@pytest.mark.parametrize("action", ["preview", "confirm"])
def test_a_forged_option_is_refused_and_nothing_is_saved(
    forged, action, gemeente_a, griffier_a, client_for
):
    data = {"escalate_raadslid": [V], "text_nl": "", "text_en": "", "action": action, **forged}
    response = client_for(griffier_a).post(_page(gemeente_a), data)
    assert response.status_code == 200
    assert "Controleer het protocol voordat" not in response.content.decode()
    assert not LocalProtocol.objects.exists()


def test_fields_of_fixed_positions_are_ignored_not_obeyed(gemeente_a, griffier_a, client_for):
    """A wethouder's or burgemeester's route has no choice: a forged field changes nothing."""
    data = {
        "escalate_raadslid": [V],
        "receive_wethouder": [G],
        "receive_burgemeester": [G, S],
        "escalate_wethouder": [G],
        "action": "confirm",
    }
    client_for(griffier_a).post(_page(gemeente_a), data)
    assert not ProtocolRoute.objects.filter(position__in=["wethouder", "burgemeester"]).exists()
    with pytest.raises(ValueError):
        protocol.clean(Position.WETHOUDER, Choice(frozenset({G})))


def test_only_its_griffier_secretaris_and_the_functioneel_beheerder_may_open_it(
    gemeente_a,
    gemeente_b,
    griffier_a,
    griffier_b,
    secretaris_a,
    voorzitter_a,
    raadslid_a,
    bzk,
    client_for,
):
    beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, bzk)
    for user in (griffier_a, secretaris_a, beheerder):
        assert client_for(user).get(_page(gemeente_a)).status_code == 200
    data = {"escalate_raadslid": [V], "receive_raadslid": [V], "action": "confirm"}
    for user in (griffier_b, voorzitter_a, raadslid_a):
        client = client_for(user)
        assert client.get(_page(gemeente_a)).status_code == 404
        assert client.post(_page(gemeente_a), data).status_code == 404
    assert client_for(raadslid_a).get(reverse("incidents:protocol_mine")).status_code == 404
    assert client_for(griffier_a).get(_page(bzk)).status_code == 404
    assert not LocalProtocol.objects.exists()


def test_the_page_needs_csrf(gemeente_a, griffier_a):
    from django.test import Client

    from tests.conftest import mark_mfa_passed
    from weerbaar.backends import auth as auth_backend

    client = Client(enforce_csrf_checks=True)
    client.force_login(griffier_a, backend=auth_backend.PATH)
    mark_mfa_passed(client, griffier_a)
    data = {"escalate_raadslid": [V], "receive_raadslid": [V], "action": "confirm"}
    assert client.post(_page(gemeente_a), data).status_code == 403
    assert not LocalProtocol.objects.exists()


def test_a_change_is_audited_as_role_names_without_the_text(gemeente_a, griffier_a, client_for):
    data = {
        "receive_raadslid": [V],
        "escalate_raadslid": [V],
        "text_nl": "Meld bij de griffie, Stadsplateau 1.",
        "action": "confirm",
    }
    client_for(griffier_a).post(_page(gemeente_a), data)
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="incidents.localprotocol")
    assert event.actor == griffier_a and event.organisation == gemeente_a
    assert event.detail["changes"] == {
        "raadslid": {
            "before": {"receive": [], "escalate": []},
            "after": {"receive": [V], "escalate": [V]},
        }
    }
    assert event.detail["texts_changed"] == ["text_nl"]
    assert "Stadsplateau" not in str(event.detail)


def test_the_text_is_escaped_keeps_line_breaks_and_follows_the_language(
    gemeente_a, raadslid_a, griffier_a, client_for
):
    save_protocol(
        organisation=gemeente_a,
        actor=griffier_a,
        choices={},
        text_nl="Bel de griffie <b>eerst</b>\nDaarna: meld hier.",
        text_en="Call the griffie <script>x</script>",
    )
    client = client_for(raadslid_a)
    for url in (reverse("incidents:new"), reverse("home")):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
        nl = client.get(url).content.decode()
        assert "Bel de griffie &lt;b&gt;eerst&lt;/b&gt;<br>Daarna: meld hier." in nl
        assert "<b>eerst" not in nl and "Call the griffie" not in nl
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        en = client.get(url).content.decode()
        assert "Call the griffie &lt;script&gt;x&lt;/script&gt;" in en
        assert "Bel de griffie" not in en
    LocalProtocol.objects.update(text_en="")
    en = client.get(reverse("home")).content.decode()
    assert "Bel de griffie &lt;b&gt;" in en
    # Another gemeente's people do not see it.
    other = make_user(Role.OFFICE_HOLDER, gemeente_a.__class__.objects.get(code="GM0014"))
    assert "Bel de griffie" not in client_for(other).get(reverse("home")).content.decode()
