"""``Melding.category_codes``, the copy of the category rows that the triage filter reads
from the scope index: kept with the rows when a draft is saved, filled from the rows by the
migration that added it, and filtering on it finds what the rows say."""

from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps as global_apps
from django.db import connection
from django.urls import reverse

from incidents import services
from incidents.constants import Category
from incidents.filters import MeldingFilter
from incidents.models import Melding, MeldingCategory

from .factories import DEFAULT_DATA, make_melding, membership_of

fill = import_module("incidents.migrations.0004_category_codes").fill


def _rows(melding):
    rows = MeldingCategory.objects.filter(melding=melding)
    return sorted(rows.values_list("category", flat=True))


def test_saving_a_draft_keeps_the_copy_with_the_rows(raadslid_a):
    draft = make_melding(raadslid_a, submit=False, categories=["threat", "verbal"])
    draft.refresh_from_db()
    assert draft.category_codes == ",threat,verbal," and _rows(draft) == ["threat", "verbal"]
    services.save_draft(
        filed_by=raadslid_a,
        membership=membership_of(raadslid_a),
        data=DEFAULT_DATA,
        categories=["verbal", "online"],
        melding=draft,
    )
    draft.refresh_from_db()
    assert draft.category_codes == ",online,verbal," and _rows(draft) == ["online", "verbal"]


def test_a_category_that_is_part_of_another_word_is_not_matched(raadslid_a, griffier_a):
    # Every category value is whole between its commas: no value matches inside another.
    values = Category.values
    for value in values:
        assert "," not in value
        assert not any(value != other and f",{value}," in f",{other}," for other in values)
    both = make_melding(raadslid_a, categories=["threat", "verbal"])
    one = make_melding(raadslid_a, categories=["verbal"])
    base = Melding.objects.triageable_by(griffier_a)
    found = MeldingFilter({"category": "threat"}, queryset=base, request=None).qs
    assert list(found) == [both]
    found = MeldingFilter({"category": "verbal"}, queryset=base, request=None).qs
    assert set(found) == {both, one}


def test_the_dashboard_filter_agrees_with_the_rows_for_every_category(
    client_for, raadslid_a, griffier_a
):
    made = {c: make_melding(raadslid_a, categories=[c]) for c in Category.values[:4]}
    client = client_for(griffier_a)
    for category, melding in made.items():
        html = client.get(reverse("incidents:dashboard"), {"category": category}).content.decode()
        shown = {m.reference for m in made.values() if m.reference in html}
        assert shown == {melding.reference}


@pytest.mark.parametrize("vendor", ["postgresql", "other"])
def test_the_migration_fills_the_copy_from_the_rows(raadslid_a, vendor):
    meldingen = [
        make_melding(raadslid_a, categories=cats)
        for cats in (["threat"], ["verbal", "threat"], ["online", "verbal", "physical"])
    ]
    Melding.objects.update(category_codes="")
    if vendor == "postgresql":
        with connection.schema_editor() as editor:
            fill(global_apps, editor)
    else:
        # The row-by-row path of other databases (SQLite for make run).
        fill(global_apps, SimpleNamespace(connection=SimpleNamespace(vendor=vendor)))
    assert [Melding.objects.get(pk=m.pk).category_codes for m in meldingen] == [
        ",threat,",
        ",threat,verbal,",
        ",online,physical,verbal,",
    ]
