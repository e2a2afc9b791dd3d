"""Amounts in the one Dutch notation ("€ 2.500,00") wherever Veilig Wonen shows money: the
costs page, the case page, the advice PDFs and the measure picker; also when the browser
asks for English."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from veiligwonen import services
from veiligwonen.constants import MeasureStatus
from weerbaar.templatetags.amounts import format_euro

from .factories import submit, to_issued, to_scan_done

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("2500"), "€ 2.500,00"),
        (Decimal("1234567.891"), "€ 1.234.567,89"),
        (0, "€ 0,00"),
        ("99.5", "€ 99,50"),
        (Decimal("-12.5"), "€ -12,50"),
        (None, ""),
        ("geen getal", ""),
    ],
)
def test_format_euro(value, shown):
    assert format_euro(value) == shown.replace(" ", NBSP)


@pytest.mark.django_db
def test_costs_page_and_case_page_show_dutch_amounts_in_any_language(cast, client_for):
    app = to_issued(cast, submit(cast))
    first = app.advice.measures.order_by("pk").first()
    services.update_measure(
        first,
        actor=cast.secretaris,
        status=MeasureStatus.DONE,
        actual_cost=Decimal("2500"),
        completed_on=date(2026, 4, 1),
    )
    for user in (cast.intake, cast.secretaris):
        client = client_for(user)
        for language in ("nl", "en"):
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            page = client.get(reverse("veiligwonen:costs")).content.decode()
            assert f"€{NBSP}2.500,00" in page
            assert "2500.00" not in page and "2,500.00" not in page
    national = client_for(cast.intake).get(reverse("veiligwonen:costs")).content.decode()
    assert f"€{NBSP}2.500.000,00" in national  # the yearly contribution
    case = client_for(cast.secretaris).get(app.get_absolute_url()).content.decode()
    assert f"werkelijk €{NBSP}2.500,00" in case
    assert f"geschat €{NBSP}" in case


@pytest.mark.django_db
def test_advice_pdf_and_measure_picker_use_dutch_amounts(cast, client_for):
    app = to_issued(cast, submit(cast))
    measures = list(app.advice.measures.select_related("measure_type"))
    html = render_to_string(
        "veiligwonen/pdf/employer.html",
        {
            "application": app,
            "advice": app.advice,
            "measures": measures,
            "for_employer": True,
            "generated_at": timezone.now(),
        },
    )
    assert format_euro(measures[0].estimated_cost) in html
    draft = to_scan_done(cast, submit(cast, cast.wethouder))
    services.start_advice(draft, actor=cast.adviser)
    page = client_for(cast.adviser).get(draft.get_absolute_url()).content.decode()
    assert f"(€{NBSP}" in page  # each catalogue measure with its estimate
