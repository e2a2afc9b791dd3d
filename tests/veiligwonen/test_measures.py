from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import make_user
from veiligwonen import services
from veiligwonen.constants import MeasureStatus, Status
from veiligwonen.workflow import TransitionNotAllowed
from weerbaar.constants import Role

from .factories import submit, to_issued

pytestmark = pytest.mark.django_db


def test_employer_completes_measures_through_the_case_page(cast, client_for):
    app = to_issued(cast, submit(cast))
    client = client_for(cast.secretaris)
    first, second = app.advice.measures.order_by("pk")
    url = reverse("veiligwonen:measure_update", args=[app.pk, first.pk])
    client.post(
        url,
        {
            f"m{first.pk}-status": "done",
            f"m{first.pk}-actual_cost": "2450.00",
            f"m{first.pk}-completed_on": "2026-05-01",
        },
    )
    first.refresh_from_db()
    assert first.status == MeasureStatus.DONE
    assert first.actual_cost == Decimal("2450.00")
    assert first.completed_on == date(2026, 5, 1)
    url = reverse("veiligwonen:measure_update", args=[app.pk, second.pk])
    client.post(url, {f"m{second.pk}-status": "declined"})
    second.refresh_from_db()
    assert second.status == MeasureStatus.PLANNED  # a reason is required
    client.post(
        url, {f"m{second.pk}-status": "declined", f"m{second.pk}-decline_reason": "Huurwoning"}
    )
    app.refresh_from_db()
    assert app.status == Status.COMPLETED


def test_only_the_employer_tracks_measures(cast):
    app = to_issued(cast, submit(cast))
    measure = app.advice.measures.first()
    for outsider in (cast.burgemeester, cast.intake, cast.bva, cast.other_secretaris):
        with pytest.raises(TransitionNotAllowed):
            services.update_measure(
                measure, actor=outsider, status=MeasureStatus.DONE, actual_cost=1
            )


def test_cost_totals_per_employer_and_year_and_nationally(cast, gemeente_b):
    app = to_issued(cast, submit(cast))
    m1, m2 = app.advice.measures.order_by("pk")
    services.update_measure(
        m1,
        actor=cast.secretaris,
        status=MeasureStatus.DONE,
        actual_cost=Decimal("2000"),
        completed_on=date(2026, 4, 1),
    )
    services.update_measure(
        m2,
        actor=cast.secretaris,
        status=MeasureStatus.DONE,
        actual_cost=Decimal("1000"),
        completed_on=date(2027, 1, 5),
    )
    burgemeester_b = make_user(Role.OFFICE_HOLDER, gemeente_b, "burgemeester")
    secretaris_b = cast.other_secretaris
    app_b = to_issued(cast, submit(cast, burgemeester_b))
    for m in app_b.advice.measures.all():
        services.update_measure(
            m,
            actor=secretaris_b,
            status=MeasureStatus.DONE,
            actual_cost=Decimal("500"),
            completed_on=date(2026, 6, 1),
        )

    from veiligwonen.models import Application

    own = services.employer_totals(Application.objects.visible_to(cast.secretaris))
    assert [(r["year"], r["total"]) for r in own] == [
        (2027, Decimal("1000")),
        (2026, Decimal("2000")),
    ]
    national = {r["year"]: r for r in services.national_totals()}
    assert national[2026]["total"] == Decimal("3000")
    assert national[2026]["remaining"] == Decimal("2497000")
    assert national[2026]["budget"] == Decimal("2500000")


def test_costs_page_shows_national_total_to_bzk_only(cast, client_for):
    url = reverse("veiligwonen:costs")
    assert "Landelijk" in client_for(cast.intake).get(url).content.decode()
    page = client_for(cast.secretaris).get(url).content.decode()
    assert "Landelijk" not in page
    assert client_for(cast.burgemeester).get(url).status_code == 403
