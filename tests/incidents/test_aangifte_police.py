"""Melding → police: the aangifte record carries the police unit, the local police contact
and the ELA contact from the organisation's profile (kept by its griffier or secretaris,
audited), the case page shows them in its Aangifte section, and the triager is reminded —
once — when the police have not confirmed a filed aangifte within the working days."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from incidents import services
from incidents.constants import AangifteStatus, JobKind, Status
from incidents.models import JobRecord
from incidents.services import followup
from incidents.services.sweeps import remind_aangifte_confirmation
from weerbaar import profiles
from weerbaar.constants import AuditAction
from weerbaar.models import AuditEvent, Notification, OrganisationProfile
from weerbaar.workdays import add_working_days

from .factories import make_melding
from .helpers import case_url

pytestmark = pytest.mark.django_db

POLICE = {
    "police_unit": "midden_nederland",
    "police_district": "Basisteam Utrecht-Centrum",
    "police_contact_name": "Wim Wijkagent",
    "police_contact_phone": "06 1234 5678",
    "ela_contact_name": "Els Ela",
    "ela_contact_email": "els.ela@politie.nl",
}


def profile_with_police(organisation, actor):
    profiles.update_profile(organisation=organisation, actor=actor, values=POLICE)


def in_triage(reporter, triager):
    return services.transition(make_melding(reporter), Status.IN_TRIAGE, actor=triager)


def test_aangifte_gets_the_police_and_ela_contacts_of_the_profile(
    client_for, raadslid_a, griffier_a, gemeente_a
):
    profile_with_police(gemeente_a, griffier_a)
    melding = in_triage(raadslid_a, griffier_a)
    aangifte = followup.save_aangifte(
        melding, actor=griffier_a, data={"status": AangifteStatus.PREPARED}
    )
    assert aangifte.police_unit == "Politie-eenheid Midden-Nederland"
    assert "Wim Wijkagent" in aangifte.police_contact
    assert "Basisteam Utrecht-Centrum" in aangifte.police_contact
    assert aangifte.ela_contact == "Els Ela — els.ela@politie.nl"
    page = client_for(griffier_a).get(f"{case_url(melding)}?open=aangifte").content.decode()
    section = page[page.index('id="aangifte"') :]
    section = section[: section.index("</section>")]
    for shown in ("Politie-eenheid Midden-Nederland", "Wim Wijkagent", "Els Ela"):
        assert shown in section
    # The record keeps what it was sent with; a unit typed by the triager is kept.
    followup.save_aangifte(melding, actor=griffier_a, data={"police_unit": "Eenheid Rotterdam"})
    aangifte.refresh_from_db()
    assert aangifte.police_unit == "Eenheid Rotterdam"


def test_case_page_says_where_to_fill_in_the_police_contacts(
    client_for, raadslid_a, griffier_a, gemeente_a
):
    melding = in_triage(raadslid_a, griffier_a)
    page = client_for(griffier_a).get(f"{case_url(melding)}?open=aangifte").content.decode()
    assert "Het organisatieprofiel noemt nog geen politiecontact of ELA-contactpersoon." in page
    assert reverse("organisation_profile_of", args=[gemeente_a.code]) in page


def test_police_unit_is_kept_on_the_profile_page_by_the_secretaris_and_audited(
    client_for, secretaris_a, griffier_b, gemeente_a
):
    from tests.weerbaar.test_profiles import filled

    url = reverse("organisation_profile_of", args=[gemeente_a.code])
    response = client_for(secretaris_a).post(url, filled(police_unit="oost_brabant"))
    assert response.status_code == 302
    profile = OrganisationProfile.objects.get(organisation=gemeente_a)
    assert profile.police_unit == "oost_brabant"
    line = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(profile.pk)).get()
    assert "police_unit" in line.detail["fields"] and line.actor == secretaris_a
    # A value outside the list, and a griffier of another gemeente, change nothing.
    refused = client_for(secretaris_a).post(url, filled(police_unit="scotland_yard"))
    assert refused.status_code == 400
    assert "Kies een politie-eenheid uit de lijst." in refused.content.decode()
    forged = client_for(griffier_b).post(url, filled(police_unit="limburg"))
    assert forged.status_code in (403, 404)
    profile.refresh_from_db()
    assert profile.police_unit == "oost_brabant"


def test_triager_is_reminded_once_when_the_police_have_not_confirmed(
    raadslid_a, griffier_a, settings
):
    settings.INCIDENTS_AANGIFTE_CONFIRM_DAYS = 3
    melding = in_triage(raadslid_a, griffier_a)
    confirmed = in_triage(raadslid_a, griffier_a)
    prepared = in_triage(raadslid_a, griffier_a)
    start = timezone.now()
    aangifte = followup.save_aangifte(
        melding, actor=griffier_a, data={"status": AangifteStatus.FILED}
    )
    followup.save_aangifte(confirmed, actor=griffier_a, data={"status": AangifteStatus.FILED})
    followup.save_aangifte(
        confirmed, actor=griffier_a, data={"police_confirmed_on": timezone.localdate()}
    )
    followup.save_aangifte(prepared, actor=griffier_a, data={"status": AangifteStatus.PREPARED})
    due = aangifte.confirm_due_at
    assert due == add_working_days(aangifte.status_changed_at, 3)
    assert due > start
    with time_machine.travel(due - timedelta(minutes=5), tick=False):
        assert remind_aangifte_confirmation() == 0
    with time_machine.travel(due + timedelta(minutes=1), tick=False):
        assert remind_aangifte_confirmation() == 1
        assert remind_aangifte_confirmation() == 0
    with time_machine.travel(due + timedelta(days=10), tick=False):
        assert remind_aangifte_confirmation() == 0
    sent = Notification.objects.filter(kind="incidents.reminder.aangifte_police")
    assert [n.recipient for n in sent] == [griffier_a]
    assert "Wim" not in sent[0].body and melding.reference not in sent[0].body
    assert JobRecord.objects.filter(kind=JobKind.AANGIFTE_POLICE).count() == 1
    assert JobRecord.objects.get(kind=JobKind.AANGIFTE_POLICE).melding_id == melding.pk
    assert melding.timeline.filter(kind="reminder").exists()
