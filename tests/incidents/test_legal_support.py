"""Juridische bijstand (issue 23): a reporter can ask for legal support against intimidating
procedures; the case shows it as asked and open until the nazorg records it as given, and
the timeline names it."""

import pytest

from incidents.constants import AftercareKind, HelpWanted
from incidents.forms import MeldingForm
from incidents.models import TimelineEntry

from .factories import make_melding
from .helpers import case_url

pytestmark = pytest.mark.django_db

OPEN = "Gevraagd en nog niet vastgelegd"


def test_legal_support_is_offered_on_the_form():
    choices = dict(MeldingForm.base_fields["help_wanted"].choices)
    assert choices[HelpWanted.LEGAL] == "Juridische bijstand tegen intimiderende procedures"


def test_legal_support_stays_open_until_the_nazorg_records_it(client_for, raadslid_a, griffier_a):
    melding = make_melding(raadslid_a, help_wanted=[HelpWanted.LEGAL, HelpWanted.TALK])
    client = client_for(griffier_a)
    client.post(case_url(melding, "incidents:transition"), {"to": "in_triage"})
    page = client.get(case_url(melding)).content.decode()
    assert "Juridische bijstand tegen intimiderende procedures" in page
    assert OPEN in page
    client.post(
        case_url(melding, "incidents:aftercare"),
        {"nazorg-kind": AftercareKind.LEGAL, "nazorg-date": "2026-11-28"},
    )
    assert melding.aftercare.get().kind == AftercareKind.LEGAL
    page = client.get(case_url(melding)).content.decode()
    assert OPEN not in page
    assert "Juridische bijstand" in page
    lines = [entry.text for entry in TimelineEntry.objects.filter(melding=melding)]
    assert "Nazorg: Juridische bijstand" in lines


def test_other_nazorg_does_not_close_the_legal_question(client_for, raadslid_a, griffier_a):
    melding = make_melding(raadslid_a, help_wanted=[HelpWanted.LEGAL])
    client = client_for(griffier_a)
    client.post(case_url(melding, "incidents:transition"), {"to": "in_triage"})
    client.post(
        case_url(melding, "incidents:aftercare"),
        {"nazorg-kind": AftercareKind.TALK, "nazorg-date": "2026-11-28"},
    )
    assert OPEN in client.get(case_url(melding)).content.decode()
