"""The case page keeps the HTML of its empty forms per process
(weerbaar/includes/form_fields.html): what changes in them must show at once, and a refused
submission is never kept."""

import re

import pytest
from django.core.cache import caches
from django.urls import reverse

from tests.factories import make_user
from weerbaar.constants import Role

from .factories import submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_fragments():
    caches["fragments"].clear()
    yield
    caches["fragments"].clear()


def _picker(page):
    (select,) = re.findall(r'<select name="adviser".*?</select>', page, re.S)
    return select


def test_an_adviser_who_joins_is_in_the_intake_planning_picker_at_once(cast, client_for, ccv):
    app = submit(cast)
    intake = client_for(cast.intake)
    first = _picker(intake.get(app.get_absolute_url()).content.decode())
    assert str(cast.adviser) in first and str(cast.other_adviser) in first
    newcomer = make_user(Role.SECURITY_ADVISER, ccv, full_name="Nieuwe Adviseur")
    second = _picker(intake.get(app.get_absolute_url()).content.decode())
    assert "Nieuwe Adviseur" in second and f'value="{newcomer.pk}"' in second
    assert second.count("<option") == first.count("<option") + 1


def test_a_refused_intake_planning_shows_its_errors_once_and_is_never_kept(cast, client_for):
    app = submit(cast)
    intake = client_for(cast.intake)
    intake.get(app.get_absolute_url())
    refused = intake.post(
        reverse("veiligwonen:step", args=[app.pk, "plan_intake"]),
        {"adviser": cast.adviser.pk, "when": "volgende week"},
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "bijvoorbeeld 12-03-2027 14:30" in page and "volgende week" in page
    assert f'<option value="{cast.adviser.pk}" selected>' in page
    for client in (intake, client_for(cast.intake2)):
        again = client.get(app.get_absolute_url()).content.decode()
        assert "volgende week" not in again and "bijvoorbeeld 12-03-2027" not in again
        assert f'<option value="{cast.adviser.pk}" selected>' not in _picker(again)
