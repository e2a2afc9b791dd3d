"""A list's dates and links made once per list (``weerbaar.labels``) are the texts the
template's per-cell ``|date`` and ``{% url %}`` gave."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from weerbaar.labels import with_dates, with_links


class Row:
    def __init__(self, pk, at):
        self.pk, self.at = pk, at


# Either side of midnight in Amsterdam and of the change to summer time, and two on one day.
MOMENTS = [
    datetime(2026, 3, 28, 22, 59, tzinfo=UTC),
    datetime(2026, 3, 28, 23, 1, tzinfo=UTC),
    datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
    datetime(2026, 12, 7, 8, 0, tzinfo=UTC),
    datetime(2026, 12, 7, 16, 0, tzinfo=UTC),
    None,
]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("fmt", ["DATE_FORMAT", "DATETIME_FORMAT", "j F Y H:i"])
def test_each_row_gets_the_texts_of_the_date_filter(language, fmt):
    template = Template(
        "{% for row in rows %}{{ row.at|date:'c' }}|{{ row.at|date:fmt }};{% endfor %}"
    )
    rows = [Row(pk, at) for pk, at in enumerate(MOMENTS)]
    with translation.override(language):
        expected = template.render(Context({"rows": rows, "fmt": fmt}))
        with_dates(rows, "at", fmt)
    made = "".join(f"{r.at_iso or ''}|{r.at_text or ''};" for r in rows)
    assert made == expected
    assert rows[-1].at_iso is None and rows[-1].at_text is None


def test_a_link_with_arguments_after_the_key_is_the_one_reverse_gives():
    rows = with_links(
        [Row(pk, None) for pk in (1, 42, 98765)], "veiligwonen:step", "claim_url", after=["claim"]
    )
    assert [r.claim_url for r in rows] == [
        reverse("veiligwonen:step", args=[pk, "claim"]) for pk in (1, 42, 98765)
    ]
