"""The case page, the reporter's list and the triage dashboard over HTTP: scope (404 for
anything outside it), audit of views, constant query counts, export and PDF."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from incidents import services
from incidents.constants import Category, Status
from incidents.models import Melding, TimelineEntry
from incidents.services import followup
from weerbaar.constants import AuditAction, Position, Role
from weerbaar.models import AuditEvent

from ..factories import make_user
from .factories import make_melding
from .helpers import case_url, form_data

pytestmark = pytest.mark.django_db


def test_griffier_of_other_gemeente_gets_404_everywhere_and_attempt_is_audited(
    client_for, raadslid_a, griffier_b
):
    melding = make_melding(raadslid_a)
    client = client_for(griffier_b)
    assert client.get(case_url(melding)).status_code == 404
    assert client.get(case_url(melding, "incidents:aangifte_pdf")).status_code == 404
    for name, data in [
        ("incidents:transition", {"to": "in_triage"}),
        ("incidents:note", {"notitie-body": "x"}),
        ("incidents:message", {"body": "x"}),
        ("incidents:severity", {"severity": "low"}),
    ]:
        assert client.post(case_url(melding, name), data).status_code == 404
    assert Melding.objects.get(pk=melding.pk).status == Status.SUBMITTED
    assert (
        AuditEvent.objects.for_object(melding)
        .filter(action=AuditAction.ACCESS_DENIED, actor=griffier_b)
        .exists()
    )


def test_guessed_id_that_does_not_exist_is_404(client_for, griffier_a):
    assert client_for(griffier_a).get(reverse("incidents:case", args=[999999])).status_code == 404


def test_reporter_cannot_use_triage_actions_on_own_case(client_for, raadslid_a):
    melding = make_melding(raadslid_a)
    response = client_for(raadslid_a).post(
        case_url(melding, "incidents:transition"), {"to": "in_triage"}
    )
    assert response.status_code == 404
    assert Melding.objects.get(pk=melding.pk).status == Status.SUBMITTED


def test_forged_transition_target_is_refused(client_for, raadslid_a, griffier_a):
    melding = make_melding(raadslid_a)
    client_for(griffier_a).post(case_url(melding, "incidents:transition"), {"to": "closed"})
    assert Melding.objects.get(pk=melding.pk).status == Status.SUBMITTED


def test_triager_acknowledges_over_http_and_reporter_sees_timeline_without_internal_notes(
    client_for, raadslid_a, griffier_a
):
    melding = make_melding(raadslid_a)
    griffier = client_for(griffier_a)
    griffier.post(case_url(melding, "incidents:transition"), {"to": "in_triage"})
    griffier.post(case_url(melding, "incidents:note"), {"notitie-body": "Geheime notitie"})
    griffier.post(case_url(melding, "incidents:step"), {"step": "safety", "done": "on"})
    assert Melding.objects.get(pk=melding.pk).status == Status.IN_TRIAGE
    triage_html = griffier.get(case_url(melding)).content.decode()
    assert "Geheime notitie" in triage_html and "Directe veiligheid geregeld" in triage_html
    html = client_for(raadslid_a).get(case_url(melding)).content.decode()
    assert "Ontvangst bevestigd" in html
    assert "Geheime notitie" not in html and "Interne notitie toegevoegd" not in html
    assert TimelineEntry.objects.filter(melding=melding, internal=True).count() == 2


def test_reporter_sees_who_viewed_the_melding(client_for, raadslid_a, griffier_a):
    melding = make_melding(raadslid_a)
    client_for(griffier_a).get(case_url(melding))
    html = client_for(raadslid_a).get(case_url(melding)).content.decode()
    assert "Wie heeft uw melding bekeken?" in html
    assert escape(griffier_a.full_name) in html


def test_reporter_withdraws_over_http(client_for, raadslid_a):
    melding = make_melding(raadslid_a)
    client_for(raadslid_a).post(case_url(melding, "incidents:withdraw"))
    assert Melding.objects.get(pk=melding.pk).status == Status.WITHDRAWN


def test_reporter_list_shows_only_own_in_constant_queries(
    client_for, raadslid_a, gemeente_a, django_assert_max_num_queries
):
    other = make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    make_melding(other, description="Niet van mij")
    make_melding(raadslid_a)
    client = client_for(raadslid_a)
    client.get(reverse("incidents:mine"))  # warm the session
    with django_assert_max_num_queries(12) as one:
        response = client.get(reverse("incidents:mine"))
    assert response.content.decode().count('scope="row"') == 1
    bulk_copy(Melding.objects.get(reporter=raadslid_a), 199)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("incidents:mine"))


def test_dashboard_constant_queries_for_1_and_200_rows(
    client_for, raadslid_a, griffier_a, django_assert_num_queries
):
    first = make_melding(raadslid_a)
    client = client_for(griffier_a)
    client.get(reverse("incidents:dashboard"))
    with CaptureQueriesContext(connection) as one:
        response = client.get(reverse("incidents:dashboard") + "?sort=-submitted_at")
    assert first.reference in response.content.decode()
    bulk_copy(first, 199)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("incidents:dashboard") + "?sort=-submitted_at")
    assert "Pagina 1 van 8" in response.content.decode()


def bulk_copy(melding, n):
    """Copies of a submitted melding by plain inserts (the write path is tested elsewhere)."""
    from incidents.models import MeldingCategory

    rows = []
    for _ in range(n):
        copy = Melding.objects.get(pk=melding.pk)
        copy.pk = None
        rows.append(copy)
    created = Melding.objects.bulk_create(rows)
    MeldingCategory.objects.bulk_create(
        [MeldingCategory(melding=m, category="threat") for m in created]
    )


@pytest.mark.parametrize(
    "query", ["", "?sort=submitted_at", "?sort=-severity_rank", "?category=threat"]
)
def test_dashboard_pages_read_from_either_end_show_every_melding_once_in_order(
    client_for, raadslid_a, griffier_a, query
):
    # 61 meldingen with the same date: the id decides the order, and the last page (read
    # from the other end of the list) must continue exactly where page 2 stopped.
    bulk_copy(make_melding(raadslid_a, categories=["threat"]), 60)
    client = client_for(griffier_a)
    seen = []
    for page in ("1", "2", "last"):
        sep = "&" if query else "?"
        html = client.get(f"{reverse('incidents:dashboard')}{query}{sep}page={page}")
        seen += re.findall(
            r'scope="row"><a class="utrecht-link" href="[^"]+">(M-\d+)<', html.content.decode()
        )
    expected = [m.reference for m in Melding.objects.order_by("-submitted_at", "-pk")]
    assert len(expected) == 61
    assert seen == expected


def test_dashboard_filters_by_category_status_and_position(
    client_for, raadslid_a, wethouder_a, griffier_a, secretaris_a
):
    threat = make_melding(raadslid_a, categories=["threat"])
    verbal = make_melding(raadslid_a, categories=["verbal"])
    client = client_for(griffier_a)
    html = client.get(reverse("incidents:dashboard") + "?category=verbal").content.decode()
    assert verbal.reference in html and threat.reference not in html
    services.transition(threat, Status.IN_TRIAGE, actor=griffier_a)
    html = client.get(reverse("incidents:dashboard") + "?status=in_triage").content.decode()
    assert threat.reference in html and verbal.reference not in html
    w = make_melding(wethouder_a)
    html = (
        client_for(secretaris_a)
        .get(reverse("incidents:dashboard") + "?position=wethouder")
        .content.decode()
    )
    assert w.reference in html and threat.reference not in html


def test_aangifte_pdf_has_organisation_address_never_home_address(
    client_for, raadslid_a, griffier_a, gemeente_a
):
    melding = make_melding(raadslid_a, place="home", witnesses="buurman")
    services.transition(melding, Status.IN_TRIAGE, actor=griffier_a)
    followup.save_aangifte(
        melding, actor=griffier_a, data={"status": "prepared", "police_unit": "Midden-Nederland"}
    )
    response = client_for(griffier_a).get(case_url(melding, "incidents:aangifte_pdf"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    domicile = text[text.index("Domicilie") : text.index("De zeven W")]
    assert "Adres Stadsplateau 1, 3521 AZ Utrecht" in domicile
    assert "Op het werk" not in domicile and "Thuis" not in domicile
    assert "Wanneer" in text and "Waarmee" in text and "Op welke wijze" in text
    assert "VPT/ELA" in text and "Midden-Nederland" in text


def test_dashboard_overdue_and_assigned_to_me_filters(
    client_for, raadslid_a, griffier_a, gemeente_a
):
    from datetime import timedelta

    from django.utils import timezone

    colleague = make_user(Role.GRIFFIER, gemeente_a)
    late = make_melding(raadslid_a)
    Melding.objects.filter(pk=late.pk).update(ack_deadline=timezone.now() - timedelta(hours=1))
    fresh = make_melding(raadslid_a)
    mine = make_melding(raadslid_a)
    services.assign(mine, griffier_a, actor=colleague)
    client = client_for(griffier_a)
    html = client.get(reverse("incidents:dashboard") + "?overdue=true").content.decode()
    assert late.reference in html and fresh.reference not in html
    assert "Termijn verlopen" in html
    html = client.get(reverse("incidents:dashboard") + "?mine=true").content.decode()
    assert mine.reference in html and late.reference not in html


def test_griffier_files_on_behalf_through_the_form(client_for, raadslid_a, griffier_a):

    client = client_for(griffier_a)
    page = client.get(reverse("incidents:new")).content.decode()
    assert escape(raadslid_a.full_name) in page
    membership = raadslid_a.memberships.get()
    client.post(reverse("incidents:new"), form_data(reporter_membership=membership.pk))
    melding = Melding.objects.get()
    assert melding.reporter == raadslid_a and melding.filed_by == griffier_a
    assert Melding.objects.visible_to(raadslid_a).filter(pk=melding.pk).exists()


def test_griffier_cannot_file_for_raadslid_of_other_gemeente(
    client_for, griffier_a, griffier_b, raadslid_a, gemeente_b
):

    make_user(Role.OFFICE_HOLDER, gemeente_b, Position.RAADSLID)  # griffier_b may file for
    membership = raadslid_a.memberships.get()
    response = client_for(griffier_b).post(
        reverse("incidents:new"), form_data(reporter_membership=membership.pk)
    )
    assert response.status_code == 200 and "Er is een probleem" in response.content.decode()
    assert not Melding.objects.exists()


def test_case_page_follow_up_forms_save_through_http(
    client_for, raadslid_a, griffier_a, griffier_b
):
    melding = make_melding(raadslid_a)
    client = client_for(griffier_a)
    client.post(case_url(melding, "incidents:transition"), {"to": "in_triage"})
    client.post(
        case_url(melding, "incidents:aftercare"),
        {"nazorg-kind": "talk", "nazorg-date": "2026-11-28", "nazorg-note": "Goed gesprek"},
    )
    client.post(
        case_url(melding, "incidents:perpetrator"),
        {"pleger-kind": "warning_letter", "pleger-date": "2026-11-29"},
    )
    client.post(
        case_url(melding, "incidents:aangifte"),
        {
            "aangifte-filer": "employer",
            "aangifte-status": "filed",
            "aangifte-police_unit": "Midden-Nederland",
            "aangifte-advised": "on",
        },
    )
    client.post(case_url(melding, "incidents:severity"), {"severity": "high"})
    client.post(case_url(melding, "incidents:share"), {"email": griffier_b.email})
    melding.refresh_from_db()
    assert melding.aftercare.get().note == "Goed gesprek"
    assert melding.perpetrator_actions.get().kind == "warning_letter"
    assert melding.aangifte.filer == "employer" and melding.aangifte.status == "filed"
    assert melding.severity == "high"
    assert client_for(griffier_b).get(case_url(melding)).status_code == 200
    client.post(case_url(melding, "incidents:revoke", griffier_b.pk))
    assert client_for(griffier_b).get(case_url(melding)).status_code == 404


def test_home_page_offers_filing_to_reporters_and_triage_to_triagers(
    client_for, raadslid_a, griffier_a, secretaris_a
):
    html = client_for(raadslid_a).get(reverse("home")).content.decode()
    assert reverse("incidents:new") in html and reverse("incidents:dashboard") not in html
    html = client_for(secretaris_a).get(reverse("home")).content.decode()
    assert reverse("incidents:dashboard") in html and reverse("incidents:new") not in html


@pytest.mark.parametrize(
    "sort", ["-submitted_at", "submitted_at", "ack_deadline", "-severity_rank"]
)
def test_dashboard_sorts(client_for, raadslid_a, griffier_a, sort):
    verbal = make_melding(raadslid_a, categories=["verbal"])
    physical = make_melding(raadslid_a, categories=["physical"])
    html = client_for(griffier_a).get(reverse("incidents:dashboard") + f"?sort={sort}")
    html = html.content.decode()
    first = html.index(verbal.reference) < html.index(physical.reference)
    # verbal: filed first, low (2 working days); physical: filed later, acute (1 hour)
    assert first == (sort == "submitted_at")


def test_vertrouwenspersoon_dashboard_shows_confidential_only(
    client_for, raadslid_a, griffier_a, vertrouwenspersoon
):
    confidential = make_melding(raadslid_a, confidential=True)
    regular = make_melding(raadslid_a)
    html = client_for(vertrouwenspersoon).get(reverse("incidents:dashboard")).content.decode()
    assert confidential.reference in html and regular.reference not in html


def test_case_page_shows_every_list_read_together_and_skips_the_empty_ones(
    client_for, raadslid_a, griffier_a, griffier_b
):
    """Notes and messages, aftercare and measures are each read in one query; the categories
    come with the case; a list without rows costs no query."""
    melding = make_melding(raadslid_a, categories=("verbal", "threat", "online"))
    client = client_for(griffier_a)
    client.post(case_url(melding, "incidents:transition"), {"to": "in_triage"})
    page = client.get(case_url(melding)).content.decode()
    assert "Nog geen nazorg vastgelegd." in page and "Geen notities." in page
    assert "Nog geen berichten." in page and "Niet gedeeld." in page
    client.post(
        case_url(melding, "incidents:aftercare"),
        {"nazorg-kind": "talk", "nazorg-date": "2026-11-28", "nazorg-note": "Goed gesprek"},
    )
    client.post(
        case_url(melding, "incidents:perpetrator"),
        {"pleger-kind": "warning_letter", "pleger-date": "2026-11-29", "pleger-result": "Brief"},
    )
    for body in ("Eerste notitie", "Tweede notitie"):
        client.post(case_url(melding, "incidents:note"), {"notitie-body": body})
    client.post(case_url(melding, "incidents:message"), {"body": "Hoe gaat het?"})
    client.post(case_url(melding, "incidents:share"), {"email": griffier_b.email})
    with CaptureQueriesContext(connection) as full:
        page = client.get(case_url(melding)).content.decode()
    # Counted now: the next request starts a new query log.
    full = len(full.captured_queries)
    labels = [str(Category(c).label) for c in ("verbal", "threat", "online")]
    assert escape(", ".join(labels)) in page
    assert page.index("Eerste notitie") < page.index("Tweede notitie")
    for text in ("Goed gesprek", "Gesprek", "Waarschuwingsbrief", "Brief", "Hoe gaat het?"):
        assert escape(text) in page
    assert escape(str(griffier_b)) in page
    reporter_page = client_for(raadslid_a).get(case_url(melding)).content.decode()
    assert "Hoe gaat het?" in reporter_page and "Eerste notitie" not in reporter_page
    empty = make_melding(raadslid_a)
    with CaptureQueriesContext(connection) as bare:
        client.get(case_url(empty))
    # Aftercare and measures, notes and messages, shares: three queries fewer.
    assert len(bare.captured_queries) <= full - 3
