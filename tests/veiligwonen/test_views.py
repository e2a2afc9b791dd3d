from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_user
from tests.incidents.factories import make_melding
from veiligwonen import scoring
from veiligwonen.constants import Status
from veiligwonen.models import Application, StaffProfile
from weerbaar.constants import Role

from .factories import HOME, submit

pytestmark = pytest.mark.django_db


def test_eligible_office_holder_files_an_application_linking_own_meldingen(cast, client_for):
    own = make_melding(cast.wethouder)
    draft = make_melding(cast.wethouder, submit=False)
    someone_elses = make_melding(cast.burgemeester)
    client = client_for(cast.wethouder)
    form = client.get(reverse("veiligwonen:apply")).content.decode()
    assert own.reference in form
    assert draft.reference not in form and someone_elses.reference not in form
    membership = cast.membership(cast.wethouder)
    data = {"membership": membership.pk, "home_address": HOME, "recent_threats": "on"}
    refused = client.post(
        reverse("veiligwonen:apply"), {**data, "linked_meldingen": [someone_elses.pk]}
    )
    assert refused.status_code == 200 and not Application.objects.exists()
    response = client.post(reverse("veiligwonen:apply"), {**data, "linked_meldingen": [own.pk]})
    app = Application.objects.get(applicant=cast.wethouder)
    assert response.status_code == 302 and response["Location"] == app.get_absolute_url()
    assert app.urgency_class == "hoog" and app.linked_meldingen == [own.pk]
    assert app.filed_by == cast.wethouder
    assert "1 gekoppelde melding(en): +10" in str(
        [f"{p.label}: +{p.points}" for p in scoring.breakdown(app)]
    )


@pytest.mark.parametrize("position", ["raadslid", "statenlid", "ab_lid"])
def test_ineligible_positions_get_an_explanation_with_pointers(
    cast, client_for, provincie, position
):
    user = make_user(
        Role.OFFICE_HOLDER, cast.gemeente if position == "raadslid" else provincie, position
    )
    html = client_for(user).get(reverse("veiligwonen:apply")).content.decode()
    assert "niet bedoeld voor uw functie" in html
    assert 'href="/meldingen/nieuw/"' in html
    assert "woningscan" in html and "CCV" in html
    response = client_for(user).post(reverse("veiligwonen:apply"), {"home_address": HOME})
    assert not Application.objects.exists() and response.status_code == 200


def test_secretaris_applies_on_behalf_of_own_burgemeester_only(cast, client_for, gemeente_b):
    other_burgemeester = make_user(Role.OFFICE_HOLDER, gemeente_b, "burgemeester")
    client = client_for(cast.secretaris)
    own = cast.membership(cast.burgemeester)
    foreign = cast.membership(other_burgemeester)
    client.post(reverse("veiligwonen:apply"), {"membership": foreign.pk, "home_address": HOME})
    assert not Application.objects.exists()
    client.post(reverse("veiligwonen:apply"), {"membership": own.pk, "home_address": HOME})
    app = Application.objects.get()
    assert app.applicant == cast.burgemeester and app.filed_by == cast.secretaris


def test_queue_is_for_intake_officers_only(cast, client_for):
    assert client_for(cast.adviser).get(reverse("veiligwonen:queue")).status_code == 403
    assert client_for(cast.intake).get(reverse("veiligwonen:queue")).status_code == 200


def test_queue_shows_why_here_expected_wait_and_overdue(cast, client_for):
    StaffProfile.objects.create(user=cast.adviser, cases_per_week=2)
    app = submit(cast)
    Application.objects.filter(pk=app.pk).update(sla_due_at=timezone.now() - timedelta(days=1))
    html = client_for(cast.intake).get(reverse("veiligwonen:queue")).content.decode()
    assert "urgentieklasse Normaal: +100" in html
    assert "te laat" in html
    # one normaal case waiting, 2 + 3 cases a week (second adviser at the default 3)
    assert "1 werkdag" in html
    overdue = client_for(cast.intake).get(
        reverse("veiligwonen:queue"), {"te_laat": "true", "urgentie": "spoed"}
    )
    assert app.reference not in overdue.content.decode()


def _fill_queue(cast, n):
    apps = [
        Application(
            applicant=cast.burgemeester,
            organisation=cast.gemeente,
            position="burgemeester",
            filed_by=cast.burgemeester,
            home_address=HOME,
            urgency_class=("spoed", "hoog", "normaal")[i % 3],
            status=Status.SUBMITTED,
            score=i,
            sla_due_at=timezone.now() + timedelta(days=i % 7 - 3),
            intake_officer=cast.intake if i % 2 else None,
        )
        for i in range(n)
    ]
    Application.objects.bulk_create(apps)


@pytest.mark.parametrize("n", [1, 500])
def test_queue_runs_a_constant_number_of_queries(cast, client_for, django_assert_num_queries, n):
    _fill_queue(cast, n)
    client = client_for(cast.intake)
    client.get(reverse("veiligwonen:queue"))  # warm the session
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(reverse("veiligwonen:queue"))
    assert response.status_code == 200


# 1 before the view (the user with its memberships and the unread count; the session comes
# from the cache), the rest the queue's own.
QUEUE_QUERIES = 5
