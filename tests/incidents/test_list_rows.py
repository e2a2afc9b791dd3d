"""A list's row links and counts made once per list (``weerbaar.labels.with_links``,
``weerbaar.counting.capped_counts_by``) say the same as their per-row forms."""

import pytest
from django.urls import NoReverseMatch, reverse

from incidents.constants import Status
from incidents.models import Melding
from tests.incidents.factories import make_melding
from weerbaar import counting
from weerbaar.labels import with_links

pytestmark = pytest.mark.django_db


def test_each_row_gets_the_url_reverse_gives(raadslid_a):
    meldingen = [make_melding(raadslid_a) for _ in range(3)]
    rows = with_links(Melding.objects.order_by("pk"), "incidents:case")
    assert [m.url for m in rows] == [reverse("incidents:case", args=[m.pk]) for m in meldingen]
    assert with_links([], "incidents:case") == []


def test_a_route_that_takes_no_key_is_refused(raadslid_a):
    make_melding(raadslid_a)
    with pytest.raises(NoReverseMatch):
        with_links(Melding.objects.all(), "incidents:dashboard")


@pytest.mark.parametrize("cap", [1, 2, 1000])
def test_counts_by_value_equal_a_count_per_queryset(raadslid_a, griffier_a, gemeente_b, cap):
    from tests.factories import make_user
    from weerbaar.constants import Position, Role

    for _ in range(3):
        make_melding(raadslid_a)
    make_melding(raadslid_a, confidential=True)
    make_melding(make_user(Role.OFFICE_HOLDER, gemeente_b, Position.RAADSLID))
    Melding.objects.filter(pk=Melding.objects.order_by("pk").first().pk).update(
        status=Status.IN_TRIAGE
    )
    scope = Melding.objects.triageable_by(griffier_a)
    statuses = [s.value for s in Status if s != Status.DRAFT]

    by_value = counting.capped_counts_by(scope, "status", statuses, cap=cap)
    per_queryset = counting.capped_counts({s: scope.filter(status=s) for s in statuses}, cap=cap)
    assert list(by_value) == statuses
    assert {k: (int(v), v.capped) for k, v in by_value.items()} == {
        k: (int(v), v.capped) for k, v in per_queryset.items()
    }
    assert int(by_value[Status.SUBMITTED]) == min(2, cap)
    assert by_value[Status.SUBMITTED].capped == (cap < 2)
