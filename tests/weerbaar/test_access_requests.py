"""Asking for an account on the public page (issue 20 §4): the page answers the same
whatever the address, is rate-limited and keeps what was typed; the organisation's griffier
or secretaris is told, approves (the normal invitation follows) or refuses; another
organisation's griffier cannot see or decide it."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from incidents.forms import reporter_memberships
from weerbaar import access_requests, tasks
from weerbaar.constants import AuditAction, OrganisationKind, RequestDecision, Role
from weerbaar.invitations import accept_invitation
from weerbaar.models import (
    AccessRequest,
    AuditEvent,
    Invitation,
    Membership,
    Notification,
    Organisation,
)
from weerbaar.notifications import deliver_pending

from ..factories import make_user
from ..sweep_failures import BadCase, check_survives_one_bad_case, refused_row

pytestmark = pytest.mark.django_db

URL = "/toegang-aanvragen/"
SENT = "/toegang-aanvragen/ontvangen/"


def _form(org, **changes):
    data = {
        "name": "Rosa Kandidaat",
        "email": "rosa@example.org",
        "organisation": str(org.pk),
        "role": Role.OFFICE_HOLDER,
        "position": "raadslid",
        "message": "Ik zit sinds maart in de raad.",
        "website": "",
    }
    data.update(changes)
    return data


def _filed(organisation, **changes):
    return access_requests.file_request(
        **{
            k: v
            for k, v in _form(organisation, **changes).items()
            if k not in ("website", "organisation")
        },
        organisation=organisation,
    )


@pytest.fixture
def secretaris_a(gemeente_a):
    return make_user(Role.SECRETARIS, gemeente_a)


def test_public_page_offers_every_organisation_grouped_by_kind(organisations):
    response = Client().get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for group in ("Gemeenten", "Provincies", "Waterschappen"):
        assert f'<optgroup label="{group}">' in html
    local = Organisation.objects.exclude(kind=OrganisationKind.NATIONAL)
    options = re.findall(r'<option value="(\d+)"', html.split('name="organisation"')[1])
    assert set(map(int, options)) >= set(local.values_list("pk", flat=True))
    assert local.count() == 375
    assert not Organisation.objects.filter(
        kind=OrganisationKind.NATIONAL, pk__in=list(map(int, options))
    ).exists()


def test_request_reaches_griffier_and_secretaris_of_that_organisation_only(
    gemeente_a, griffier_a, secretaris_a, griffier_b
):
    response = Client().post(URL, _form(gemeente_a))
    assert response.status_code == 302 and response["Location"] == SENT
    request = AccessRequest.objects.get()
    assert (request.name, request.email, request.organisation, request.position) == (
        "Rosa Kandidaat",
        "rosa@example.org",
        gemeente_a,
        "raadslid",
    )
    told = Notification.objects.filter(kind="weerbaar.access_request")
    assert set(told.values_list("recipient", flat=True)) == {griffier_a.pk, secretaris_a.pk}
    for note in told:
        assert "Rosa" not in note.body and "rosa@" not in note.body
        assert note.link == reverse("access_request_list")
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="weerbaar.accessrequest"
    ).exists()
    # The toelichting is encrypted at rest.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT message FROM weerbaar_accessrequest")
        assert "maart" not in cursor.fetchone()[0]


def test_page_answers_the_same_for_an_address_with_an_account(
    gemeente_a, griffier_a, django_capture_on_commit_callbacks
):
    raadslid = make_user(Role.OFFICE_HOLDER, gemeente_a, email="bestaand@example.org")
    unknown = Client().post(URL, _form(gemeente_a, email="onbekend@example.org"), follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        known = Client().post(URL, _form(gemeente_a, email=raadslid.email.upper()), follow=True)
        again = Client().post(URL, _form(gemeente_a, email="onbekend@example.org"), follow=True)
    assert unknown.redirect_chain == known.redirect_chain == again.redirect_chain
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"')
    assert strip.sub("", unknown.content.decode()) == strip.sub("", known.content.decode())
    # One request (the unknown address, once); the account holder is told by mail, alone.
    assert list(AccessRequest.objects.values_list("email", flat=True)) == ["onbekend@example.org"]
    deliver_pending()  # the emails go through the outbox
    asked = ("bestaand@example.org", "onbekend@example.org")
    to_them = [m for m in mail.outbox if m.to[0] in asked]
    assert [m.to for m in to_them] == [["bestaand@example.org"]]
    assert "al een account" in to_them[0].body
    assert "Rosa" not in to_them[0].body and gemeente_a.name not in to_them[0].body


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Vul uw naam in."),
        ({"email": "rosa@"}, "email", "Vul een geldig e-mailadres in"),
        ({"organisation": ""}, "organisation", "Kies de organisatie"),
        ({"organisation": "999999"}, "organisation", "Kies een organisatie uit de lijst."),
        ({"role": ""}, "role", "Kies uw rol."),
        # A forged form asking for a role that sees other people's cases.
        ({"role": "griffier"}, "role", "Selecteer een geldige keuze."),
        ({"position": ""}, "position", "Kies uw functie."),
        ({"position": "statenlid"}, "position", "Deze functie hoort niet bij"),
        ({"message": "x" * 1001}, "message", "Gebruik hoogstens 1000 tekens."),
    ],
)
def test_bad_input_gets_a_dutch_error_and_keeps_what_was_typed(gemeente_a, changes, field, message):
    response = Client().post(URL, _form(gemeente_a, **changes))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    html = response.content.decode()
    assert "Er is een probleem" in html
    for name, value in _form(gemeente_a, **changes).items():
        if name not in changes and name in ("name", "email", "message"):
            assert value in html
    assert not AccessRequest.objects.exists()


def test_the_hidden_field_filled_in_files_nothing_but_answers_the_same(gemeente_a, griffier_a):
    response = Client().post(URL, _form(gemeente_a, website="http://spam.example"))
    assert response["Location"] == SENT
    assert not AccessRequest.objects.exists()
    assert not Notification.objects.exists()


def test_too_many_requests_from_one_address_keep_what_was_typed(gemeente_a, griffier_a):
    client = Client()
    for n in range(10):
        response = client.post(URL, _form(gemeente_a, email=f"p{n}@example.org"))
        assert response.status_code == 302
    response = client.post(URL, _form(gemeente_a, email="elf@example.org"))
    assert response.status_code == 429
    html = response.content.decode()
    assert "te veel aanvragen" in html and "elf@example.org" in html
    assert "Ik zit sinds maart in de raad." in html
    assert AccessRequest.objects.count() == 10


def test_too_many_requests_for_one_email_answer_the_same_and_file_nothing(organisations):
    codes = ["GM0344", "GM0014", "GM0363", "GM0599"]
    for code in codes:
        org = Organisation.objects.get(code=code)
        response = Client(REMOTE_ADDR=f"10.0.0.{len(code)}").post(URL, _form(org))
        assert response["Location"] == SENT
    assert AccessRequest.objects.count() == 3


def test_griffier_approves_and_the_requester_accepts_the_invitation_and_can_file(
    gemeente_a, griffier_a, client_for, django_capture_on_commit_callbacks
):
    request = _filed(gemeente_a)
    client = client_for(griffier_a)
    listing = client.get(reverse("access_request_list"))
    assert "Rosa Kandidaat" in listing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("access_request_detail", args=[request.pk]), {"decision": "approve"}
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.decision == RequestDecision.APPROVED and request.decided_by == griffier_a
    invitation = request.invitation
    assert (invitation.email, invitation.organisation, invitation.role, invitation.position) == (
        "rosa@example.org",
        gemeente_a,
        Role.OFFICE_HOLDER,
        "raadslid",
    )
    assert invitation.invited_by == griffier_a and invitation.full_name == "Rosa Kandidaat"
    assert AuditEvent.objects.filter(
        action=AuditAction.MEMBERSHIP_APPROVED,
        object_type="weerbaar.accessrequest",
        actor=griffier_a,
    ).exists()
    deliver_pending()  # the emails go through the outbox
    (message,) = [m for m in mail.outbox if m.to == ["rosa@example.org"]]
    token = re.search(r"/uitnodiging/(\S+)/", message.body).group(1)
    user = accept_invitation(token=token, password="Een lange zin als wachtwoord")
    assert [m.organisation for m in reporter_memberships(user)] == [gemeente_a]


def test_candidate_needs_an_end_date_and_gets_a_membership_that_ends_then(
    gemeente_a, griffier_a, client_for, django_capture_on_commit_callbacks
):
    request = _filed(gemeente_a, role=Role.CANDIDATE)
    client = client_for(griffier_a)
    url = reverse("access_request_detail", args=[request.pk])
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 200
    assert "Vul in tot wanneer de kandidaat kan melden" in response.content.decode()
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(url, {"decision": "approve", "valid_until": past})
    assert "Deze datum ligt in het verleden." in response.content.decode()
    assert past in response.content.decode()
    last_day = timezone.localdate() + timedelta(days=60)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "approve", "valid_until": last_day.isoformat()})
    deliver_pending()  # the emails go through the outbox
    (invitation_mail,) = [m for m in mail.outbox if "/uitnodiging/" in m.body]
    token = re.search(r"/uitnodiging/(\S+)/", invitation_mail.body).group(1)
    user = accept_invitation(token=token, password="Een lange zin als wachtwoord")
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.CANDIDATE and membership.position == "raadslid"
    assert timezone.localtime(membership.valid_until).date() == last_day + timedelta(days=1)
    assert timezone.localtime(membership.valid_until).hour == 0


def test_refusal_needs_a_reason_and_tells_the_requester_without_it(
    gemeente_a, griffier_a, client_for, django_capture_on_commit_callbacks
):
    request = _filed(gemeente_a)
    client = client_for(griffier_a)
    url = reverse("access_request_detail", args=[request.pk])
    response = client.post(url, {"decision": "refuse", "reason": "  "})
    assert "Geef aan waarom u de aanvraag weigert." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "refuse", "reason": "Onbekend bij de griffie"})
    request.refresh_from_db()
    assert request.decision == RequestDecision.REFUSED
    assert request.reason == "Onbekend bij de griffie"
    deliver_pending()  # the emails go through the outbox
    (message,) = [m for m in mail.outbox if m.to == ["rosa@example.org"]]
    assert "niet gehonoreerd" in message.body and "Onbekend" not in message.body
    assert not Invitation.objects.exists()
    # Decided once: a second decision is refused with a Dutch message.
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_other_organisations_griffier_gets_404_on_a_guessed_id_and_a_forged_post(
    gemeente_a, griffier_a, griffier_b, client_for
):
    request = _filed(gemeente_a)
    client = client_for(griffier_b)
    url = reverse("access_request_detail", args=[request.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "approve"}).status_code == 404
    assert "Rosa" not in client.get(reverse("access_request_list")).content.decode()
    request.refresh_from_db()
    assert request.is_pending and not Invitation.objects.exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.ACCESS_DENIED, object_id=str(request.pk), actor=griffier_b
    ).exists()


def test_a_raadslid_has_no_access_request_pages(gemeente_a, client_for):
    raadslid = make_user(Role.OFFICE_HOLDER, gemeente_a)
    request = _filed(gemeente_a)
    client = client_for(raadslid)
    assert client.get(reverse("access_request_list")).status_code == 403
    url = reverse("access_request_detail", args=[request.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 404


def test_a_post_without_csrf_token_is_refused(gemeente_a, griffier_a):
    client = Client(enforce_csrf_checks=True)
    assert client.post(URL, _form(gemeente_a)).status_code == 403
    assert not AccessRequest.objects.exists()


def test_old_requests_are_deleted_and_recent_ones_kept(gemeente_a, griffier_a):
    old = _filed(gemeente_a, email="oud@example.org")
    recent = _filed(gemeente_a, email="nieuw@example.org")
    AccessRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=91))
    assert tasks.purge_access_requests.run() == 1
    assert list(AccessRequest.objects.values_list("pk", flat=True)) == [recent.pk]
    assert AuditEvent.objects.filter(action=AuditAction.PURGE, detail__count=1).exists()


def test_purge_sweep_survives_one_bad_request(gemeente_a, bzk):
    beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, bzk)
    ids = [_filed(gemeente_a, email=f"oud{n}@example.org").pk for n in range(3)]
    AccessRequest.objects.update(created_at=timezone.now() - timedelta(days=100))
    case = BadCase(
        sweep=access_requests.PURGE_SWEEP,
        model=AccessRequest,
        run=lambda: tasks.purge_access_requests.run(),
        acted=lambda pk: 0 if AccessRequest.objects.filter(pk=pk).exists() else 1,
        healthy=[ids[0], ids[2]],
        bad=ids[1],
        breaking=lambda: refused_row(AccessRequest, "id", ids[1], "DELETE"),
    )
    check_survives_one_bad_case(case, at=timezone.now(), beheerder=beheerder)


def test_nobody_local_yet_tells_the_functioneel_beheerder(gemeente_b, bzk):
    beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, bzk)
    with time_machine.travel(timezone.now()):
        _filed(gemeente_b)
    assert list(
        Notification.objects.filter(kind="weerbaar.access_request").values_list(
            "recipient", flat=True
        )
    ) == [beheerder.pk]


def test_a_decision_without_a_button_gets_a_dutch_error(gemeente_a, griffier_a, client_for):
    request = _filed(gemeente_a)
    url = reverse("access_request_detail", args=[request.pk])
    response = client_for(griffier_a).post(url, {"reason": "iets"})
    assert response.status_code == 200
    assert "Kies goedkeuren of weigeren." in response.content.decode()
    assert "iets" in response.content.decode()
    request.refresh_from_db()
    assert request.is_pending


def test_the_list_reads_a_fixed_number_of_queries_whatever_the_number_of_requests(
    gemeente_a, griffier_a, client_for
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(griffier_a)
    _filed(gemeente_a, email="een@example.org")
    client.get(reverse("access_request_list"))  # warm the session and the memberships
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("access_request_list")).status_code == 200
    for n in range(20):
        _filed(gemeente_a, email=f"p{n}@example.org")
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("access_request_list")).content.decode()
    assert html.count("/toegangsaanvragen/") >= 21
    assert len(many) == len(one)
