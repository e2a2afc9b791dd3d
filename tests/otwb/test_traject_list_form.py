"""The trajecten list's filter form is kept as a rendered fragment (docs/performance.md,
change 20): it must still offer the tours and provinces in force, at once, and read them
only once per page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from otwb.models import Traject

from .factories import TourFactory

pytestmark = pytest.mark.django_db

URL = reverse("otwb:traject_list")


def test_a_tour_added_is_offered_at_once_though_the_form_was_kept(
    client_for, coordinator, tour, gemeente_a
):
    Traject.objects.create(tour=tour, organisation=gemeente_a)
    client = client_for(coordinator)
    first = client.get(URL).content.decode()
    assert "Ronde 2022–2025" in first and "Vervolgronde 2026" not in first

    TourFactory(name="Vervolgronde 2026")
    second = client.get(URL).content.decode()
    assert '<option value="' in second and "Vervolgronde 2026" in second
    renamed = Traject.objects.get().tour
    renamed.name = "Ronde 2022–2026"
    renamed.save()
    assert "Ronde 2022–2026" in client.get(URL).content.decode()


def test_the_kept_form_is_the_form_rendered_afresh_and_keeps_the_choice_made(
    client_for, coordinator, tour, gemeente_a
):
    Traject.objects.create(tour=tour, organisation=gemeente_a)
    client = client_for(coordinator)
    url = f"{URL}?tour={tour.pk}&status=&province=&name="
    fresh = client.get(url).content.decode()
    kept = client.get(url).content.decode()
    strip = lambda html: html.split('name="csrfmiddlewaretoken"')[0]  # noqa: E731
    assert strip(fresh) == strip(kept)
    assert f'<option value="{tour.pk}" selected>' in kept


def test_the_tours_and_provinces_are_read_once_whether_the_form_is_kept_or_not(
    client_for, coordinator, tour, gemeente_a
):
    Traject.objects.create(tour=tour, organisation=gemeente_a)
    client = client_for(coordinator)
    counts = []
    for _ in range(2):  # rendered, then kept
        with CaptureQueriesContext(connection) as ctx:
            client.get(URL)
        counts.append(len(ctx.captured_queries))
        tables = [q["sql"] for q in ctx.captured_queries if 'FROM "otwb_tour"' in q["sql"]]
        assert len(tables) == 1
    assert counts[0] == counts[1]
