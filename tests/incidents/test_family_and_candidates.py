"""Who may report beyond today's account holders (issue 20 §4): a melding about a family
member of an office holder (through their account, or filed by the griffier) keeps the
office holder's route and says whom it is about; a candidate, for the period the griffier
set, reaches the griffier of the organisation they stand for, and after it keeps reading
their own meldingen."""

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from incidents.constants import About, Route
from incidents.models import Melding
from weerbaar import tasks
from weerbaar.constants import Position, Role
from weerbaar.invitations import accept_invitation
from weerbaar.models import Membership, Notification
from weerbaar.notifications import deliver_pending

from ..factories import MembershipFactory, UserFactory, make_user
from .factories import make_melding, membership_of
from .helpers import case_url, form_data

pytestmark = pytest.mark.django_db


def candidate(organisation, position, *, days=30):
    user = UserFactory()
    MembershipFactory(
        user=user,
        organisation=organisation,
        role=Role.CANDIDATE,
        position=position,
        valid_until=timezone.now() + timedelta(days=days),
    )
    user.__dict__.pop("active_memberships", None)
    return user


def told(user):
    return Notification.objects.filter(recipient=user, kind="incidents.new")


# --- Family members -------------------------------------------------------------------


def test_raadslid_reports_for_partner_and_it_keeps_the_route_to_the_griffier(
    client_for, raadslid_a, griffier_a, gemeente_a
):
    response = client_for(raadslid_a).post(reverse("incidents:new"), form_data(about=About.PARTNER))
    assert response.status_code == 302
    melding = Melding.objects.get()
    assert melding.about == About.PARTNER
    assert (melding.route, melding.route_organisation) == (Route.GRIFFIER, gemeente_a)
    assert told(griffier_a).count() == 1
    for viewer in (griffier_a, raadslid_a):
        page = client_for(viewer).get(case_url(melding)).content.decode()
        assert re.search(r"<dt>Over wie</dt><dd>Partner</dd>", page), viewer


def test_a_melding_without_the_question_is_about_the_reporter(client_for, raadslid_a):
    client_for(raadslid_a).post(reverse("incidents:new"), form_data())
    assert Melding.objects.get().about == About.SELF


def test_griffier_files_for_a_raadslids_child_and_the_raadslid_sees_it(
    client_for, raadslid_a, griffier_a, gemeente_a
):
    client = client_for(griffier_a)
    form = client.get(reverse("incidents:new")).content.decode()
    assert "Over wie gaat deze melding?" in form
    response = client.post(
        reverse("incidents:new"),
        form_data(reporter_membership=membership_of(raadslid_a).pk, about=About.CHILD),
    )
    assert response.status_code == 302
    melding = Melding.objects.get()
    assert (melding.reporter, melding.filed_by, melding.about) == (
        raadslid_a,
        griffier_a,
        About.CHILD,
    )
    assert melding.route == Route.GRIFFIER and melding.route_organisation == gemeente_a
    own = client_for(raadslid_a)
    assert own.get(reverse("incidents:mine")).status_code == 200
    page = own.get(case_url(melding)).content.decode()
    assert "<dt>Over wie</dt><dd>Kind</dd>" in page and "ingediend door" in page


def test_wethouders_family_goes_the_executive_route_and_the_griffier_cannot_file_it(
    client_for, wethouder_a, raadslid_a, griffier_a, gemeente_a
):
    """Decision: the griffier serves the council, not the college; a wethouder (or their
    family) reports through the wethouder's own account, to secretaris and voorzitter."""
    melding = make_melding(wethouder_a, about=About.PARENT)
    assert melding.route == Route.EXECUTIVE and melding.about == About.PARENT
    response = client_for(griffier_a).post(
        reverse("incidents:new"),
        form_data(reporter_membership=membership_of(wethouder_a).pk, about=About.PARENT),
    )
    assert response.status_code == 200
    assert "reporter_membership" in response.context["form"].errors
    assert Melding.objects.count() == 1


def test_unknown_relation_gets_a_dutch_error_and_keeps_the_text(client_for, raadslid_a):
    response = client_for(raadslid_a).post(reverse("incidents:new"), form_data(about="buurman"))
    assert response.status_code == 200
    error = response.context["form"].errors["about"][0]
    assert "geldige keuze" in error or "Selecteer" in error
    assert "na de vergadering zouden opwachten" in response.content.decode()
    assert not Melding.objects.exists()


def test_export_and_aangifte_pdf_say_whom_it_is_about(client_for, raadslid_a, griffier_a):
    melding = make_melding(raadslid_a, about=About.PARTNER)
    export = client_for(griffier_a).get(reverse("incidents:export"))
    header, row = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()[:2]
    column = header.split(";").index("Wie: slachtoffer")
    assert row.split(";")[column] == "Partner"
    response = client_for(raadslid_a).get(case_url(melding, "incidents:aangifte_pdf"))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Slachtoffer: partner van" in " ".join(text.split())


# --- Candidates -----------------------------------------------------------------------


def test_candidates_melding_reaches_the_griffier_of_the_gemeente_they_stand_for(
    client_for, gemeente_a, griffier_a, griffier_b
):
    kandidaat = candidate(gemeente_a, Position.RAADSLID)
    response = client_for(kandidaat).post(reverse("incidents:new"), form_data())
    assert response.status_code == 302
    melding = Melding.objects.get()
    assert melding.reporter_role == Role.CANDIDATE
    assert (melding.route, melding.route_organisation) == (Route.GRIFFIER, gemeente_a)
    assert not melding.otwb_involved
    assert told(griffier_a).count() == 1 and not told(griffier_b).exists()
    dashboard = client_for(griffier_a).get(reverse("incidents:dashboard")).content.decode()
    assert case_url(melding) in dashboard and "Kandidaat-raadslid" in dashboard
    other = client_for(griffier_b)
    assert case_url(melding) not in other.get(reverse("incidents:dashboard")).content.decode()
    assert other.get(case_url(melding)).status_code == 404


def test_candidate_statenlid_reaches_the_statengriffier(client_for, provincie, gemeente_a):
    statengriffier = make_user(Role.GRIFFIER, provincie)
    griffier_gemeente = make_user(Role.GRIFFIER, gemeente_a)
    kandidaat = candidate(provincie, Position.STATENLID)
    melding = make_melding(kandidaat)
    assert (melding.route, melding.route_organisation) == (Route.GRIFFIER, provincie)
    assert told(statengriffier).count() == 1 and not told(griffier_gemeente).exists()


def test_after_the_period_the_candidate_cannot_file_but_reads_their_own(
    client_for, gemeente_a, griffier_a
):
    kandidaat = candidate(gemeente_a, Position.RAADSLID, days=10)
    melding = make_melding(kandidaat)
    with time_machine.travel(timezone.now() + timedelta(days=11)):
        # The term of office's sweep records the end; a candidate never held the office, so
        # no oud-ambtsdrager membership follows.
        tasks.end_memberships.run()
        assert not Membership.objects.filter(
            user=kandidaat, role=Role.FORMER_OFFICE_HOLDER
        ).exists()
        assert Membership.objects.get(user=kandidaat).ended_recorded_at is not None
        kandidaat.__dict__.pop("active_memberships", None)
        client = client_for(kandidaat)
        assert client.get(reverse("incidents:new")).status_code == 404
        assert client.post(reverse("incidents:new"), form_data()).status_code == 404
        assert Melding.objects.count() == 1
        assert case_url(melding) in client.get(reverse("incidents:mine")).content.decode()
        assert client.get(case_url(melding)).status_code == 200


def test_griffier_invites_a_candidate_until_a_date_and_the_membership_ends_then(
    client_for, griffier_a, gemeente_a, django_capture_on_commit_callbacks
):
    client = client_for(griffier_a)
    data = {
        "email": "kandidaat@example.org",
        "full_name": "Kees Kandidaat",
        "organisation": gemeente_a.pk,
        "role": Role.CANDIDATE,
        "position": Position.RAADSLID,
    }
    response = client.post(reverse("invitation_list"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vul in tot wanneer de kandidaat kan melden" in html
    assert "kandidaat@example.org" in html and "Kees Kandidaat" in html
    too_late = timezone.localdate() + timedelta(days=400)
    response = client.post(reverse("invitation_list"), {**data, "valid_until": too_late})
    assert "Kies een datum binnen een jaar" in response.content.decode()
    last_day = timezone.localdate() + timedelta(days=90)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("invitation_list"), {**data, "valid_until": last_day})
    assert response.status_code == 302
    deliver_pending()  # the emails go through the outbox
    (invitation_mail,) = [m for m in mail.outbox if "/uitnodiging/" in m.body]
    token = re.search(r"/uitnodiging/(\S+)/", invitation_mail.body).group(1)
    user = accept_invitation(token=token, password="Een lange zin als wachtwoord")
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.CANDIDATE
    end = timezone.localtime(membership.valid_until)
    assert (end.date(), end.hour, end.minute) == (last_day + timedelta(days=1), 0, 0)
    with time_machine.travel(membership.valid_until - timedelta(minutes=1)):
        assert Membership.objects.active().filter(pk=membership.pk).exists()
    with time_machine.travel(membership.valid_until):
        assert not Membership.objects.active().filter(pk=membership.pk).exists()
