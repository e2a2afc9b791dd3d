"""A whole council at once (issue 20 §2) and managing the invitations sent (§3): reading
each format, every error a row can have, nothing made until the whole list is right and
confirmed, and the scope of who may see and act on which invitation."""

import io
import re
from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from weerbaar import bulk_invitations as bulk
from weerbaar.constants import AuditAction, RequestDecision, Role
from weerbaar.invitations import accept_invitation, create_invitation, create_invitations
from weerbaar.models import AuditEvent, Invitation, Membership, MembershipRequest, Notification
from weerbaar.notifications import deliver_pending

HEADER = "naam;e-mailadres;functie;startdatum\n"
LINK = re.compile(r"https?://\S+/uitnodiging/(\S+)/")


def council(n, domain="raad.example.org"):
    lines = [f"Raadslid {i};lid{i}@{domain};raadslid;2-4-2026" for i in range(n - 2)]
    lines += [
        f"Wethouder A;wethouder@{domain};Wethouder;",
        f"Nieuwe Griffier;griffie@{domain};griffier;",
    ][: max(n - len(lines), 0)]
    return HEADER + "\n".join(lines) + "\n"


def upload(name, data):
    return SimpleUploadedFile(name, data)


def check(client, organisation, text, **extra):
    return client.post(
        reverse("invitation_bulk"),
        {"organisation": organisation.pk, "text": text, "action": "check", **extra},
    )


def confirm(client, organisation, text):
    page = check(client, organisation, text)
    checked = re.search(r'name="checked" value="([0-9a-f]+)"', page.content.decode()).group(1)
    return client.post(
        reverse("invitation_bulk"),
        {"organisation": organisation.pk, "text": text, "checked": checked, "action": "confirm"},
    )


# Reading


def test_semicolon_csv_with_bom_and_header_in_any_column_order():
    data = "\ufeffE-mailadres;Naam;Functie\njan@example.org;Jan Jansen;raadslid\n".encode()
    (row,) = bulk.parse_file(upload("raad.csv", data))
    assert (row.name, row.email, row.position_text, row.start_text) == (
        "Jan Jansen",
        "jan@example.org",
        "raadslid",
        "",
    )


def test_a_header_without_the_start_date_still_reads_a_fourth_column_as_it():
    (row,) = bulk.parse_text("naam;e-mailadres;functie\nCor;cor@example.org;griffier;1-4-2026")
    assert (row.start_text, row.extra) == ("1-4-2026", False)


def test_comma_csv_from_windows_excel_keeps_accents():
    data = '"Jörg de Vries",jorg@example.org,Wethouder,01-04-2026\r\n'.encode("cp1252")
    (row,) = bulk.parse_file(upload("raad.csv", data))
    assert row.name == "Jörg de Vries"
    assert row.start_text == "01-04-2026"


def test_pasted_columns_from_a_spreadsheet_are_tab_separated():
    rows = bulk.parse_text(
        "Ada Kok\tada@example.org\traadslid\nBas Bos\tbas@example.org\tambtenaar"
    )
    assert [r.email for r in rows] == ["ada@example.org", "bas@example.org"]
    assert [r.number for r in rows] == [1, 2]


def xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_gives_values_never_formulas_and_dates_as_dates():
    data = xlsx(
        [
            ["Naam", "E-mail", "Functie", "Startdatum"],
            ["Cor Cats", "cor@example.org", "Raadslid", datetime(2026, 4, 2)],
            ['=HYPERLINK("http://evil.example","klik")', "dirk@example.org", "raadslid", None],
        ]
    )
    first, second = bulk.parse_file(upload("raad.xlsx", data))
    assert first.start_text == "02-04-2026"
    assert "HYPERLINK" not in second.name and "=" not in second.name


def test_a_list_too_long_or_too_big_or_of_another_kind_is_refused_in_dutch():
    with pytest.raises(bulk.ListError, match=r"meer dan 2\.000 regels"):
        bulk.parse_text(council(2002))
    big = upload("raad.csv", b"x;" * 600_000)
    with pytest.raises(bulk.ListError, match="groter dan 1 MB"):
        bulk.parse_file(big)
    with pytest.raises(bulk.ListError, match=r"\.xlsx of als \.csv"):
        bulk.parse_file(upload("raad.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100))
    with pytest.raises(bulk.ListError, match="niet lezen"):
        bulk.parse_file(upload("raad.xlsx", b"PK\x03\x04 kapot"))
    with pytest.raises(bulk.ListError, match="leeg"):
        bulk.parse_text("\n ;; \n")


# Checking


def test_every_kind_of_error_gets_a_dutch_message_on_its_row(griffier_a, gemeente_a, user_factory):
    sitting = user_factory(Role.OFFICE_HOLDER, gemeente_a, position="raadslid")
    create_invitation(
        inviter=griffier_a,
        email="open@example.org",
        organisation=gemeente_a,
        role=Role.CIVIL_SERVANT,
    )
    text = "\n".join(
        [
            "Goed Mens;goed@example.org;Kandidaat-raadslid;1-4-2026",
            "Fout Adres;geen-adres;raadslid;",
            "Onbekend;onbekend@example.org;koning;",
            "Dubbel;goed@example.org;wethouder;",
            f"Zit Al;{sitting.email};raadslid;",
            "Open;open@example.org;ambtenaar;",
            f"Ikzelf;{griffier_a.email};raadslid;",
            "Datum;datum@example.org;raadslid;31-13-2026",
            ";naamloos@example.org;raadslid;",
            "Provincie;staten@example.org;statenlid;",
            "Extra;extra@example.org;raadslid;;nog iets",
        ]
    )
    rows = bulk.validate(bulk.parse_text(text), inviter=griffier_a, organisation=gemeente_a)
    errors = {row.number: " ".join(row.errors) for row in rows}
    assert errors[1] == ""
    assert rows[0].role == Role.CANDIDATE and rows[0].position == "raadslid"
    assert rows[0].valid_from == date(2026, 4, 1)
    assert "geen geldig e-mailadres" in errors[2]
    assert "Onbekende functie “koning”" in errors[3]
    assert "staat ook op regel 1" in errors[4]
    assert "al raadslid bij" in errors[5]
    assert "al uitgenodigd als ambtenaar" in errors[6]
    assert "uzelf geen rol" in errors[7]
    assert "geen datum" in errors[8]
    assert "Vul een naam in" in errors[9]
    assert "Onbekende functie “statenlid”" in errors[10]
    assert "meer dan vier kolommen" in errors[11]


def test_checking_costs_the_same_queries_for_45_and_1000_rows(griffier_a, gemeente_a):
    counts = []
    assert griffier_a.active_memberships  # read once per request, before checking
    for n in (45, 1000):
        rows = bulk.parse_text(council(n, domain=f"raad{n}.example.org"))
        with CaptureQueriesContext(connection) as ctx:
            bulk.validate(rows, inviter=griffier_a, organisation=gemeente_a)
        assert all(row.is_valid for row in rows)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] == 2


def test_the_preview_page_costs_the_same_queries_for_45_and_1000_rows(
    griffier_a, gemeente_a, client_for
):
    client = client_for(griffier_a)
    counts = []
    for n in (45, 1000):
        with CaptureQueriesContext(connection) as ctx:
            page = check(client, gemeente_a, council(n, domain=f"raad{n}.example.org"))
        assert page.status_code == 200 and "De lijst klopt" in page.content.decode()
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


# The page


def test_a_list_with_one_error_creates_nothing_and_keeps_every_line_typed(
    griffier_a, gemeente_a, client_for
):
    client = client_for(griffier_a)
    text = council(45).replace("lid7@raad.example.org", "lid7@raad")
    page = confirm_attempt = client.post(
        reverse("invitation_bulk"),
        {"organisation": gemeente_a.pk, "text": text, "action": "confirm", "checked": "x"},
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Er is 1 regel met een fout" in html
    assert 'href="#rij-8"' in html and "is geen geldig e-mailadres" in html
    assert "lid7@raad;" in html and "Raadslid 42" in html  # the whole list is still there
    assert confirm_attempt.status_code == 200
    assert not Invitation.objects.exists()
    assert not MembershipRequest.objects.filter(email__endswith="raad.example.org").exists()
    assert not Notification.objects.filter(email__gt="").exists()


def test_an_uploaded_file_comes_back_as_text_to_correct(griffier_a, gemeente_a, client_for):
    data = xlsx([["Naam", "E-mail", "Functie"], ["Eva Eik", "eva@example", "raadslid"]])
    page = client_for(griffier_a).post(
        reverse("invitation_bulk"),
        {"organisation": gemeente_a.pk, "file": upload("raad.xlsx", data), "action": "check"},
    )
    html = page.content.decode()
    assert "naam;e-mailadres;functie;startdatum" in html
    assert "Eva Eik;eva@example;raadslid;" in html


def test_a_file_that_cannot_be_read_keeps_the_pasted_text(griffier_a, gemeente_a, client_for):
    page = client_for(griffier_a).post(
        reverse("invitation_bulk"),
        {
            "organisation": gemeente_a.pk,
            "text": "Mijn getypte regel;a@example.org;raadslid",
            "file": upload("raad.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 50),
            "action": "check",
        },
    )
    html = page.content.decode()
    assert "Sla de lijst op als .xlsx" in html
    assert "Mijn getypte regel;a@example.org;raadslid" in html
    assert not Invitation.objects.exists()


def test_a_list_changed_after_its_check_is_checked_again_not_sent(
    griffier_a, gemeente_a, client_for
):
    client = client_for(griffier_a)
    first = check(client, gemeente_a, council(5))
    checked = re.search(r'name="checked" value="([0-9a-f]+)"', first.content.decode()).group(1)
    page = client.post(
        reverse("invitation_bulk"),
        {
            "organisation": gemeente_a.pk,
            "text": council(6),
            "checked": checked,
            "action": "confirm",
        },
    )
    assert "gewijzigd sinds de vorige controle" in page.content.decode()
    assert not Invitation.objects.exists()


def test_confirming_invites_everyone_through_the_outbox_with_four_eyes_for_the_griffier(
    griffier_a, gemeente_a, client_for
):
    client = client_for(griffier_a)
    response = confirm(client, gemeente_a, council(45))
    assert response.status_code == 302
    assert Invitation.objects.filter(organisation=gemeente_a).count() == 45
    assert Notification.objects.filter(kind="weerbaar.invitation").count() == 45
    requests = MembershipRequest.objects.filter(organisation=gemeente_a)
    assert requests.filter(role=Role.OFFICE_HOLDER, decision=RequestDecision.APPROVED).count() == 44
    griffie = requests.get(email="griffie@raad.example.org")
    assert griffie.four_eyes and griffie.decision == RequestDecision.PENDING
    assert mail.outbox == []  # nothing sent from the request itself
    assert AuditEvent.objects.filter(action=AuditAction.INVITE, actor=griffier_a).count() == 45
    requested = AuditEvent.objects.filter(action=AuditAction.MEMBERSHIP_REQUESTED)
    assert requested.filter(actor=griffier_a).count() == 45

    listed = client.get(reverse("invitation_list") + "?status=niet-aanvaard").content.decode()
    assert listed.count("wacht op goedkeuring door een tweede persoon") == 1
    assert deliver_pending() == 45
    message = next(m for m in mail.outbox if m.to == ["lid3@raad.example.org"])
    token = LINK.search(message.body).group(1)
    assert "Raadslid 3" in message.body
    user = accept_invitation(token=token, password="Een lange zin voor het portaal")
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.position) == (Role.OFFICE_HOLDER, "raadslid")
    assert timezone.localtime(membership.valid_from).date() == date(2026, 4, 2)
    # The link was only in the email: the outbox no longer holds it.
    assert not Notification.objects.exclude(secret_link="").exists()


def test_a_griffier_cannot_send_a_list_for_another_gemeente(
    griffier_b, gemeente_a, gemeente_b, client_for
):
    client = client_for(griffier_b)
    page = check(client, gemeente_a, council(3))
    assert "Kies een organisatie waarvoor u mag uitnodigen" in page.content.decode()
    forged = client.post(
        reverse("invitation_bulk"),
        {"organisation": gemeente_a.pk, "text": council(3), "checked": "0", "action": "confirm"},
    )
    assert forged.status_code == 200
    assert not Invitation.objects.exists()


def test_a_raadslid_cannot_open_the_list_page(client_for, user_factory, gemeente_a):
    raadslid = user_factory(Role.OFFICE_HOLDER, gemeente_a, position="raadslid")
    assert client_for(raadslid).get(reverse("invitation_bulk")).status_code == 403


# Managing what was sent


@pytest.fixture
def sent(griffier_a, gemeente_a):
    invitation, token = create_invitation(
        inviter=griffier_a,
        email="nieuw@example.org",
        organisation=gemeente_a,
        role=Role.OFFICE_HOLDER,
        position="raadslid",
    )
    return invitation, token


def test_resend_makes_a_new_link_and_the_old_one_stops_working(sent, griffier_a, client_for):
    invitation, old_token = sent
    client = client_for(griffier_a)
    too_soon = client.post(reverse("invitation_resend", args=[invitation.pk]), follow=True)
    assert "net verstuurd" in too_soon.content.decode()
    # A week later the link has expired; the griffier sends it again.
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - timedelta(days=8), expires_at=timezone.now() - timedelta(days=1)
    )
    assert client.post(reverse("invitation_resend", args=[invitation.pk])).status_code == 302
    # The first email, never sent, is dropped: it carried the old link.
    assert Notification.objects.filter(email="nieuw@example.org").count() == 1
    deliver_pending()
    new_token = LINK.search(mail.outbox[-1].body).group(1)
    assert new_token != old_token
    with pytest.raises(ValidationError, match="bestaat niet"):
        accept_invitation(token=old_token, password="Een lange zin voor het portaal")
    user = accept_invitation(token=new_token, password="Een lange zin voor het portaal")
    assert Membership.objects.filter(user=user, role=Role.OFFICE_HOLDER).exists()
    assert AuditEvent.objects.filter(action=AuditAction.INVITE_RESENT, actor=griffier_a).exists()


def test_revoke_makes_the_invitation_unusable_and_withdraws_its_request(
    sent, griffier_a, client_for
):
    invitation, token = sent
    assert (
        client_for(griffier_a).post(reverse("invitation_revoke", args=[invitation.pk])).status_code
        == 302
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None and not invitation.is_usable
    assert invitation.membership_request.decision == RequestDecision.REFUSED
    assert not Notification.objects.filter(email="nieuw@example.org").exists()
    with pytest.raises(ValidationError, match="ingetrokken"):
        accept_invitation(token=token, password="Een lange zin voor het portaal")
    assert (
        "ingetrokken"
        in client_for(griffier_a).get(reverse("invitation_accept", args=[token])).content.decode()
    )
    assert AuditEvent.objects.filter(action=AuditAction.INVITE_REVOKED, actor=griffier_a).exists()


def test_another_gemeentes_griffier_gets_404_for_a_guessed_invitation(sent, griffier_b, client_for):
    invitation, _ = sent
    client = client_for(griffier_b)
    assert client.post(reverse("invitation_resend", args=[invitation.pk])).status_code == 404
    assert client.post(reverse("invitation_revoke", args=[invitation.pk])).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert "nieuw@example.org" not in client.get(reverse("invitation_list")).content.decode()


def test_filters_show_who_has_not_accepted_and_what_expired(
    sent, griffier_a, gemeente_a, client_for
):
    old, _ = create_invitation(
        inviter=griffier_a,
        email="oud@example.org",
        organisation=gemeente_a,
        role=Role.CIVIL_SERVANT,
    )
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))
    client = client_for(griffier_a)
    waiting = client.get(reverse("invitation_list") + "?status=niet-aanvaard").content.decode()
    assert "nieuw@example.org" in waiting and "oud@example.org" in waiting
    expired = client.get(reverse("invitation_list") + "?status=verlopen").content.decode()
    assert "oud@example.org" in expired and "nieuw@example.org" not in expired
    accepted = client.get(reverse("invitation_list") + "?status=aanvaard").content.decode()
    assert "Er zijn geen uitnodigingen met deze status" in accepted


def test_the_link_in_the_outbox_is_encrypted_and_not_shown_in_the_admin(
    sent, bzk, user_factory, client_for
):
    _, token = sent
    queued = Notification.objects.get(email="nieuw@example.org")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT body, secret_link FROM weerbaar_notification WHERE id = %s", [queued.pk]
        )
        body, stored_link = cursor.fetchone()
    assert token not in body and token not in stored_link
    beheerder = user_factory(Role.FUNCTIONEEL_BEHEERDER, bzk, is_staff=True, is_superuser=True)
    page = client_for(beheerder).get(f"/beheer/weerbaar/notification/{queued.pk}/change/")
    assert page.status_code == 200
    assert "nieuw@example.org" in page.content.decode()
    assert token not in page.content.decode()


def test_the_service_refuses_a_forged_list_whole(griffier_a, gemeente_a, bzk):
    people = [
        {
            "email": "a@example.org",
            "full_name": "A",
            "role": Role.OFFICE_HOLDER,
            "position": "raadslid",
            "valid_from": None,
        },
        {
            "email": "b@example.org",
            "full_name": "B",
            "role": Role.BVA,
            "position": "",
            "valid_from": None,
        },
    ]
    with pytest.raises(PermissionDenied):
        create_invitations(inviter=griffier_a, organisation=gemeente_a, people=people)
    people[1] = {**people[0], "email": griffier_a.email}
    with pytest.raises(PermissionDenied):
        create_invitations(inviter=griffier_a, organisation=gemeente_a, people=people)
    assert not Invitation.objects.exists()
    assert not Notification.objects.filter(email__gt="").exists()


def test_revoking_a_sensitive_role_takes_it_out_of_the_four_eyes_queue(
    griffier_a, gemeente_a, client_for
):
    invitation, _token = create_invitation(
        inviter=griffier_a, email="secr@example.org", organisation=gemeente_a, role=Role.SECRETARIS
    )
    assert invitation.membership_request.is_pending
    client_for(griffier_a).post(reverse("invitation_revoke", args=[invitation.pk]))
    mreq = MembershipRequest.objects.get(invitation=invitation)
    assert mreq.decision == RequestDecision.REFUSED and mreq.decided_by is None
    assert not MembershipRequest.objects.pending().filter(organisation=gemeente_a).exists()
    # Revoked is final: it cannot be sent again.
    page = client_for(griffier_a).post(
        reverse("invitation_resend", args=[invitation.pk]), follow=True
    )
    assert "Deze uitnodiging is ingetrokken." in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_confirms_of_one_list_at_the_same_moment_invite_once(
    client_for, griffier_a, gemeente_a
):
    from tests.otwb.threads import run_in_threads

    text = council(6)
    page = check(client_for(griffier_a), gemeente_a, text)
    checked = re.search(r'name="checked" value="([0-9a-f]+)"', page.content.decode()).group(1)
    data = {"organisation": gemeente_a.pk, "text": text, "checked": checked, "action": "confirm"}
    clients = [client_for(griffier_a), client_for(griffier_a)]

    def send(client):
        return lambda: client.post(reverse("invitation_bulk"), data).status_code

    statuses = run_in_threads([send(c) for c in clients])
    # One confirm sends the list; the other finds everyone invited already and sends nothing.
    assert sorted(statuses) == [200, 302], statuses
    assert Invitation.objects.count() == 6
    assert MembershipRequest.objects.filter(invitation__isnull=False).count() == 6
