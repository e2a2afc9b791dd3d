"""The national figures against the hand-counted data set of conftest.py."""

import re

import pytest

from .conftest import PERIOD

pytestmark = pytest.mark.django_db


def published(figure):
    """{row label: [displayed values]}, total row included."""
    _header, rows = figure.table()
    return {str(row[0]): row[1:] for row in rows}


@pytest.fixture
def monitor(data, analyst, client_for):
    response = client_for(analyst).get("/monitor/", PERIOD)
    assert response.status_code == 200
    return response.context["monitor"]


def test_meldingen_per_month_count_only_sent_meldingen_in_the_period(monitor):
    """The year 2026 so far (January–May; June runs and is not published): 6 in March,
    13 in April, none in the other months. Each quarter's other months are empty, so March
    and April would be their quarter's figure: hidden, though both are five or more (the
    year's cube, docs/monitor.md, finding 2). The draft, the withdrawn one and December's
    are not counted."""
    rows = published(monitor.figure("meldingen-per-maand"))
    months = ["Jan", "Feb", "Mrt", "Apr", "Mei"]
    assert rows == {**{f"{m} 2026": ["×"] for m in months}, "Totaal": ["19"]}


def test_position_of_the_single_burgemeester_is_hidden_and_cannot_be_subtracted(monitor):
    """raadslid 13, wethouder 5, burgemeester 1: the 1 is "< 5", and because 19 - 13 would
    otherwise give it back, the wethouder's 5 is hidden as well."""
    rows = published(monitor.figure("meldingen-per-functie"))
    assert rows["Raadslid"] == ["13"]
    assert rows["Burgemeester"] == ["×"]
    assert rows["Wethouder"] == ["×"]
    assert rows["Totaal"] == ["19"]


def test_channels(monitor):
    """in person 7, phone 6, social 5, mail 1 (hidden, so social goes too)."""
    rows = published(monitor.figure("meldingen-per-kanaal"))
    assert rows["Persoonlijk"] == ["7"]
    assert rows["Telefoon"] == ["6"]
    assert rows["Sociale media"] == ["×"]
    assert rows["E-mail of brief"] == ["×"]
    assert rows["Niet ingevuld"] == ["×"]


def test_categories_count_meldingen_per_category(monitor):
    """verbal 6, threat 5 + 1, online 5, intimidation 7; no total (they overlap)."""
    figure = monitor.figure("meldingen-per-categorie")
    rows = published(figure)
    assert rows["Verbale agressie"] == ["6"]
    assert rows["Bedreiging"] == ["6"]
    assert rows["Online haat of bedreiging"] == ["5"]
    assert rows["Intimidatie"] == ["7"]
    assert rows["Fysiek geweld"] == ["×"]
    assert figure.total is None


def test_per_province_hides_the_second_province_next_to_the_empty_ones(monitor):
    """Utrecht 11, Groningen 8, ten provinces 0: the zeros add up to less than 5, so
    Groningen's 8 is hidden too."""
    rows = published(monitor.figure("meldingen-per-provincie"))
    assert rows["Utrecht"] == ["11"]
    assert rows["Groningen"] == ["×"]
    assert rows["Flevoland"] == ["×"]
    assert rows["Totaal"] == ["19"]


def test_aangifte_escalation_and_acknowledgement_shares(monitor):
    """aangifte 6 of 19 = 31.6 %; escalated 2 (hidden, share not shown); acknowledged 11
    of 19 = 57.9 %."""
    rows = published(monitor.figure("meldingen-opvolging"))
    assert rows["Aangifte gedaan"] == ["6", "31,6%"]
    assert rows["Geëscaleerd naar de voorzitter"] == ["×", "–"]
    assert rows["Ontvangst bevestigd"] == ["11", "57,9%"]


def test_time_to_acknowledgement_median_and_90th_percentile(monitor):
    """Six times 2 h, five times 4 h: median 2 h; p90 at rank 0.9 × 10 = 9 → 4 h."""
    rows = published(monitor.figure("meldingen-ontvangstbevestiging"))
    assert rows == {"Mediaan": ["2,0 uur"], "90e percentiel": ["4,0 uur"]}


def test_veilig_wonen_applications_per_month_and_urgency(monitor):
    # Only March has applications: every month is hidden, the year's 16 is shown.
    months = ["Jan", "Feb", "Mrt", "Apr", "Mei"]
    assert published(monitor.figure("veilig-wonen-per-maand")) == {
        **{f"{m} 2026": ["×"] for m in months},
        "Totaal": ["16"],
    }
    assert published(monitor.figure("veilig-wonen-per-urgentie")) == {
        "Spoed": ["5"],
        "Hoog": ["5"],
        "Normaal": ["6"],
        "Totaal": ["16"],
    }


def test_waiting_times_to_intake_and_advice(monitor):
    """Intake after 1..16 days: median 8.5, p90 at rank 13.5 → 14.5. Spoed 1..5: median 3,
    p90 4.6. Advice for the first ten after 30..39 days: median 34.5, p90 38.1; normaal
    has no advice (< 5), so one of the other classes is hidden with it."""
    figure = monitor.figure("veilig-wonen-wachttijd")
    rows = published(figure)
    assert rows["Alle klassen"] == [
        "16",
        "8,5 dagen",
        "14,5 dagen",
        "10",
        "34,5 dagen",
        "38,1 dagen",
    ]
    assert rows["Spoed"][:3] == ["5", "3,0 dagen", "4,6 dagen"]
    assert rows["Normaal"][3:] == ["×", "–", "–"]
    hidden = [r for r in ("Spoed", "Hoog") if rows[r][3] == "×"]
    assert len(hidden) == 1 and rows[hidden[0]][4:] == ["–", "–"]


def test_measures_and_costs_per_year(monitor):
    assert published(monitor.figure("veilig-wonen-maatregelen"))["2026"] == [
        "5",
        "5",
        "€ 5.000",
    ]


def test_tour_coverage_over_time(monitor):
    """10 gemeenten in the tour: voorgesprek 6 by March (60 %), 8 by April (80 %);
    sessions 0 by March (hidden), 5 by April (50 %)."""
    rows = published(monitor.figure("ronde-dekking"))
    assert rows["Mrt 2026"] == ["6", "60,0%", "×", "–"]
    assert rows["Apr 2026"] == ["8", "80,0%", "5", "50,0%"]
    assert rows["Organisaties in de ronde"][0] == "10"


def test_no_free_text_reaches_the_page(data, analyst, client_for):
    response = client_for(analyst).get("/monitor/", PERIOD)
    assert b"Vrije tekst" not in response.content
    assert b"Geheimelaan" not in response.content
    assert not re.search(rb"\sstyle=", response.content)
    assert b"<style" not in response.content
