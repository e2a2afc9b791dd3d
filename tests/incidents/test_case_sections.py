"""Issue 21 §3, the case page: one "Beoordeling" form for severity and assignee, every save
returning to its own section (a plain anchor, no JavaScript needed), and "Afsluiten" behind
a confirmation page that asks for a reason."""

import re

import pytest
from django.utils.html import escape

from incidents import services
from incidents.constants import Status
from incidents.models import Melding, TimelineEntry
from weerbaar.constants import Role

from ..factories import make_user
from .factories import make_melding
from .helpers import case_url

pytestmark = pytest.mark.django_db

SECTIONS = [
    "overzicht",
    "stappenplan",
    "nazorg",
    "opvolging-dader",
    "aangifte",
    "delen",
    "berichten",
    "tijdlijn",
]


@pytest.fixture
def melding(raadslid_a):
    return make_melding(raadslid_a)


@pytest.fixture
def griffier(client_for, griffier_a):
    return client_for(griffier_a)


def test_case_page_has_a_navigation_to_each_section_and_each_section_its_id(griffier, melding):
    html = griffier.get(case_url(melding)).content.decode()
    nav = re.search(r'<nav class="inc-sections".*?</nav>', html, re.S).group(0)
    assert re.findall(r'href="#([^"]+)"', nav) == SECTIONS
    for section in [*SECTIONS, "beoordeling"]:
        assert len(re.findall(rf'\bid="{section}"', html)) == 1, section


def test_beoordeling_sets_severity_and_assignee_in_one_post(
    griffier, melding, gemeente_a, griffier_a
):
    colleague = make_user(Role.GRIFFIER, gemeente_a)
    response = griffier.post(
        case_url(melding, "incidents:beoordeling"),
        {"severity": "high", "assignee": colleague.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == case_url(melding) + "#beoordeling"
    melding = Melding.objects.get(pk=melding.pk)
    assert (melding.severity, melding.assigned_to) == ("high", colleague)
    kinds = set(TimelineEntry.objects.filter(melding=melding).values_list("kind", flat=True))
    assert {"severity", "assigned"} <= kinds


def test_beoordeling_changes_only_what_changed(griffier, melding, griffier_a):
    services.assign(melding, griffier_a, actor=griffier_a)
    services.set_severity(melding, "medium", actor=griffier_a)
    lines = TimelineEntry.objects.filter(melding=melding).count()
    griffier.post(
        case_url(melding, "incidents:beoordeling"),
        {"severity": "medium", "assignee": griffier_a.pk},
    )
    assert TimelineEntry.objects.filter(melding=melding).count() == lines
    griffier.post(
        case_url(melding, "incidents:beoordeling"),
        {"severity": "acute", "assignee": griffier_a.pk},
    )
    melding = Melding.objects.get(pk=melding.pk)
    assert (melding.severity, melding.assigned_to) == ("acute", griffier_a)
    assert TimelineEntry.objects.filter(melding=melding).count() == lines + 1


def test_beoordeling_with_a_bad_field_saves_nothing_and_keeps_the_other_input(
    griffier, melding, raadslid_a
):
    response = griffier.post(
        case_url(melding, "incidents:beoordeling"),
        {"severity": "acute", "assignee": raadslid_a.pk},  # the reporter: no valid assignee
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Dit is niet opgeslagen: controleer de invoer." in html
    assert "is geen beschikbare keuze" in html
    # The severity chosen stays selected in the form shown again.
    assert re.search(r'<option value="acute"[^>]*selected', html)
    melding = Melding.objects.get(pk=melding.pk)
    assert (melding.severity, melding.assigned_to_id) == ("", None)


@pytest.mark.parametrize(
    "name, args, data, section",
    [
        ("incidents:beoordeling", (), {"severity": "low"}, "beoordeling"),
        ("incidents:step", (), {"step": "safety", "done": "on"}, "stappenplan"),
        ("incidents:note", (), {"notitie-body": "Gebeld"}, "berichten"),
        (
            "incidents:aftercare",
            (),
            {"nazorg-kind": "talk", "nazorg-date": "2026-12-01", "nazorg-note": ""},
            "nazorg",
        ),
        ("incidents:share", (), {"email": "niemand@example.org"}, "delen"),
        ("incidents:message", (), {"body": "Hoe gaat het?"}, "berichten"),
        ("incidents:transition", (), {"to": "in_triage"}, "overzicht"),
    ],
)
def test_every_save_returns_to_its_section(griffier, melding, name, args, data, section):
    response = griffier.post(case_url(melding, name, *args), data)
    assert response.status_code == 302, response.content.decode()[:500]
    # A follow-up section, closed unless opened (test_case_follow_up.py), is opened by the
    # address the save returns to.
    opens = f"?open={section}" if section in ("nazorg", "delen") else ""
    assert response["Location"] == f"{case_url(melding)}{opens}#{section}"
    # The page at that address has the section, with the message about the save in it
    # (where the browser lands), not at the top.
    html = griffier.get(response["Location"]).content.decode()
    start = html.index(f'id="{section}"')
    alert = html.index('role="status"')
    assert alert > start, "the message is shown in the section"
    assert html.count('role="status"') == 1


def acknowledged(melding, griffier_a):
    return services.transition(melding, Status.IN_TRIAGE, actor=griffier_a)


def test_afsluiten_is_a_link_to_a_confirmation_page_and_its_get_changes_nothing(
    griffier, melding, griffier_a
):
    acknowledged(melding, griffier_a)
    html = griffier.get(case_url(melding)).content.decode()
    assert f'href="{case_url(melding, "incidents:close")}"' in html
    lines = TimelineEntry.objects.filter(melding=melding).count()
    response = griffier.get(case_url(melding, "incidents:close"))
    page = response.content.decode()
    assert response.status_code == 200
    assert escape("Weet u zeker dat u melding") in page and 'name="reason"' in page
    melding = Melding.objects.get(pk=melding.pk)
    assert melding.status == Status.IN_TRIAGE
    assert TimelineEntry.objects.filter(melding=melding).count() == lines


@pytest.mark.parametrize("reason", ["", "   "])
def test_closing_without_a_reason_is_refused_in_dutch_and_closes_nothing(
    griffier, melding, griffier_a, reason
):
    acknowledged(melding, griffier_a)
    response = griffier.post(case_url(melding, "incidents:close"), {"reason": reason})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Vul de reden van afsluiten in." in html
    assert 'aria-invalid="true"' in html
    assert Melding.objects.get(pk=melding.pk).status == Status.IN_TRIAGE
    assert not melding.notes.exists()


def test_closing_with_a_reason_closes_and_keeps_the_reason(griffier, melding, griffier_a):
    acknowledged(melding, griffier_a)
    response = griffier.post(
        case_url(melding, "incidents:close"), {"reason": "Afgehandeld met de melder."}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{case_url(melding)}#overzicht"
    melding = Melding.objects.get(pk=melding.pk)
    assert melding.status == Status.CLOSED and melding.closed_at
    note = melding.notes.get()
    assert note.body == "Reden van afsluiten: Afgehandeld met de melder."
    assert TimelineEntry.objects.filter(melding=melding, kind="status").exists()
    # The reason is on the case page (the internal notes, in Berichten).
    assert "Afgehandeld met de melder." in griffier.get(case_url(melding)).content.decode()


def test_a_forged_transition_to_closed_does_not_close_without_a_reason(
    griffier, melding, griffier_a
):
    acknowledged(melding, griffier_a)
    griffier.post(case_url(melding, "incidents:transition"), {"to": "closed"})
    assert Melding.objects.get(pk=melding.pk).status == Status.IN_TRIAGE


def test_griffier_of_another_gemeente_and_the_reporter_get_404_on_the_close_page(
    client_for, melding, griffier_a, griffier_b, raadslid_a
):
    acknowledged(melding, griffier_a)
    for user in (griffier_b, raadslid_a):
        client = client_for(user)
        assert client.get(case_url(melding, "incidents:close")).status_code == 404
        response = client.post(case_url(melding, "incidents:close"), {"reason": "weg ermee"})
        assert response.status_code == 404
    assert Melding.objects.get(pk=melding.pk).status == Status.IN_TRIAGE
    assert not melding.notes.exists()


def test_close_page_of_a_case_that_cannot_be_closed_sends_back_with_a_message(griffier, melding):
    # Still "submitted": it is acknowledged first.
    response = griffier.get(case_url(melding, "incidents:close"), follow=True)
    assert "kan nu niet worden afgesloten" in response.content.decode()
    assert Melding.objects.get(pk=melding.pk).status == Status.SUBMITTED
