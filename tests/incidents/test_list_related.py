"""The triage list reads its rows without joins and attaches the reporters, assignees and
organisations afterwards (weerbaar.related.attach): the names must still be on the page,
and reading them must not cost a query per row."""

import pytest
from django.urls import reverse

from incidents import services
from incidents.models import Melding
from weerbaar.related import attach

from .factories import make_melding

pytestmark = pytest.mark.django_db


def test_attach_reads_two_relations_to_users_in_one_query_and_keeps_empty_keys_empty(
    raadslid_a, wethouder_a, griffier_a, django_assert_num_queries
):
    assigned = make_melding(raadslid_a)
    services.assign(assigned, griffier_a, actor=griffier_a)
    unassigned = make_melding(wethouder_a)
    rows = list(Melding.objects.filter(pk__in=[assigned.pk, unassigned.pk]).order_by("pk"))

    # Users (reporters and assignees together), then organisations.
    with django_assert_num_queries(2):
        attach(rows, "reporter", "assigned_to", "organisation")
    with django_assert_num_queries(0):
        seen = [(m.reporter, m.assigned_to, m.organisation.code) for m in rows]
    assert seen == [
        (raadslid_a, griffier_a, assigned.organisation.code),
        (wethouder_a, None, unassigned.organisation.code),
    ]


def test_attach_on_an_empty_page_asks_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert attach([], "reporter") == []


def test_dashboard_rows_show_reporter_organisation_and_assignee(
    client_for, raadslid_a, griffier_a, gemeente_a
):
    melding = make_melding(raadslid_a)
    services.assign(melding, griffier_a, actor=griffier_a)

    page = client_for(griffier_a).get(reverse("incidents:dashboard")).content.decode()

    row = page.split(melding.reference, 1)[1].split("</tr>", 1)[0]
    assert str(raadslid_a) in row
    assert gemeente_a.name in row
    assert str(griffier_a) in row


def test_dashboard_rows_do_not_read_the_phone_numbers_of_reporters_and_assignees(
    client_for, raadslid_a, griffier_a
):
    raadslid_a.phone = "0612345678"
    raadslid_a.save(update_fields=["phone"])
    melding = make_melding(raadslid_a)
    services.assign(melding, griffier_a, actor=griffier_a)

    response = client_for(griffier_a).get(reverse("incidents:dashboard"))

    row = next(m for m in response.context["meldingen"] if m.pk == melding.pk)
    assert row.reporter == raadslid_a
    assert {"phone", "password"} <= row.reporter.get_deferred_fields()
    assert {"phone", "password"} <= row.assigned_to.get_deferred_fields()
    assert "0612345678" not in response.content.decode()
