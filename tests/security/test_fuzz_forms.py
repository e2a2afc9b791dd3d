"""Fuzzing every form and filter of the portal as an authorised user (hypothesis).

Arbitrary text, unicode (NUL bytes, right-to-left marks, emoji, zero-width characters),
10 000-character strings, and malformed values for choices, ids, dates and numbers. The
portal must answer:

- never a server error;
- a refused form comes back with what was typed still in it (no data loss) and with Dutch
  messages only (never Django's English defaults);
- an accepted form stored exactly what was typed.

Bounded: ``max_examples=25`` per form or filter. The number of examples run is printed."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.models import Melding
from tests.incidents.helpers import form_data
from tests.otwb.factories import TourFactory
from weerbaar.constants import Position, Role

FUZZ = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
EXAMPLES = {"total": 0}
# Examples checked per fuzz test that ran in this process (with xdist, the module's tests
# may be spread over workers).
PER_TEST = {}


@pytest.fixture(autouse=True)
def _count_examples(request):
    before = EXAMPLES["total"]
    yield
    if EXAMPLES["total"] > before:
        PER_TEST[request.node.name] = EXAMPLES["total"] - before


NASTY = st.sampled_from(
    [
        "\x00",
        "a\x00b",
        "\u202egnp.exe",
        "\u200b\u200d\ufeff",
        "😀" * 300,
        "x" * 10_000 + "é",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "{{ 7|add:7 }}{% debug %}",
        "../../etc/passwd",
        "%00%0d%0a",
        " ",
        "-1",
        "9" * 400,
        "1e309",
        "NaN",
        "2026-02-30T25:61",
        "١٢٣",
    ]
)
TEXT = st.one_of(st.text(max_size=400), NASTY)
MALFORMED = st.one_of(NASTY, st.integers().map(str), st.text(max_size=20))
ENGLISH = re.compile(
    r"This field is required|Enter a valid|Select a valid|Ensure this value|"
    r"Null characters are not allowed|is not one of the available choices"
)


def normalised(text):
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check(response, typed):
    """The answer to one fuzzed submission; ``typed`` = text fields that must survive."""
    EXAMPLES["total"] += 1
    assert response.status_code < 500
    if response.status_code in (200, 400):
        content = b"".join(response) if response.streaming else response.content
        html = normalised(content.decode("utf-8-sig"))
        assert not ENGLISH.search(html), ENGLISH.search(html).group(0)
        for value in typed:
            if value.strip():
                assert escape(normalised(value)) in html, "what was typed was lost"


@pytest.fixture
def raadslid(gemeente_a, user_factory):
    return user_factory(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)


def test_fuzz_melding_form(raadslid, client_for):
    client = client_for(raadslid)
    url = reverse("incidents:new")

    @FUZZ
    @given(
        description=TEXT,
        perpetrator_details=TEXT,
        witnesses=TEXT,
        occurred_at=MALFORMED,
        place=MALFORMED,
        categories=st.lists(MALFORMED, max_size=3),
    )
    def run(description, perpetrator_details, witnesses, occurred_at, place, categories):
        data = form_data(
            description=description,
            perpetrator_details=perpetrator_details,
            witnesses=witnesses,
            perpetrator="known",
        )
        # Half the examples keep the structured fields valid, so the text reaches the service.
        if len(description) % 2:
            data.update(occurred_at=occurred_at, place=place, categories=categories)
        before = Melding.objects.count()
        response = client.post(url, data)
        check(response, [description, perpetrator_details, witnesses])
        if response.status_code == 302:
            stored = Melding.objects.order_by("-pk").first()
            assert Melding.objects.count() == before + 1
            assert stored.description == description.strip()

    run()


def test_fuzz_veilig_wonen_application(gemeente_a, user_factory, client_for):
    burgemeester = user_factory(Role.OFFICE_HOLDER, gemeente_a, Position.BURGEMEESTER)
    client = client_for(burgemeester)
    membership = burgemeester.active_memberships[0].pk
    url = reverse("veiligwonen:apply")

    @FUZZ
    @given(home=TEXT, household=TEXT, phone=TEXT, member=MALFORMED, flag=MALFORMED)
    def run(home, household, phone, member, flag):
        data = {
            "membership": membership if len(home) % 2 else member,
            "home_address": home,
            "household": household,
            "phone": phone,
            "recent_threats": flag,
        }
        check(client.post(url, data), [home, household])

    run()


def test_fuzz_triage_forms(gemeente_a, raadslid, user_factory, client_for):
    from tests.incidents.factories import make_melding

    griffier = user_factory(Role.GRIFFIER, gemeente_a)
    melding = make_melding(raadslid)
    client = client_for(griffier)

    @FUZZ
    @given(body=TEXT, severity=MALFORMED, step=MALFORMED, date=MALFORMED, status=MALFORMED)
    def run(body, severity, step, date, status):
        pk = melding.pk
        # Field names as the case page's forms post them (their prefixes included); the
        # third item is the text that must come back when the form is refused.
        for name, data, typed in [
            ("note", {"notitie-body": body}, [body]),
            ("message", {"body": body}, [body]),
            ("severity", {"severity": severity}, []),
            ("step", {"step": step, "done": "on"}, []),
            (
                "aftercare",
                {"nazorg-kind": step, "nazorg-date": date, "nazorg-note": body},
                [body],
            ),
            (
                "perpetrator",
                {"pleger-kind": step, "pleger-date": date, "pleger-result": body},
                [body],
            ),
            (
                "aangifte",
                {
                    "aangifte-filer": step,
                    "aangifte-status": status,
                    "aangifte-filed_on": date,
                    "aangifte-police_unit": body,
                },
                [body],
            ),
            ("assign", {"assignee": severity}, []),
            ("transition", {"to": status}, []),
        ]:
            response = client.post(reverse(f"incidents:{name}", args=[pk]), data)
            check(response, typed)

    run()


def test_fuzz_otwb_session_and_trainer_forms(otwb_org, user_factory, client_for):
    coordinator = user_factory(Role.OTWB_COORDINATOR, otwb_org)
    tour = TourFactory()
    client = client_for(coordinator)
    day = (timezone.localdate() + timedelta(days=40)).isoformat()

    @FUZZ
    @given(title=TEXT, place=TEXT, date=MALFORMED, capacity=MALFORMED, email=TEXT)
    def run(title, place, date, capacity, email):
        data = {
            "tour": tour.pk,
            "kind": "council",
            "title": title,
            "date": day if len(title) % 2 else date,
            "start_time": "19:00",
            "end_time": "22:00",
            "place": place,
            "capacity": capacity,
            "min_vertrouwenspersonen": capacity,
        }
        check(client.post(reverse("otwb:session_create"), data), [title, place])
        trainer = {"name": title, "email": email, "kind": capacity, "origin": date}
        check(client.post(reverse("otwb:trainer_create"), trainer), [title])

    run()


def test_fuzz_invitation_form(gemeente_a, user_factory, client_for):
    client = client_for(user_factory(Role.GRIFFIER, gemeente_a))

    @FUZZ
    @given(email=TEXT, name=TEXT, organisation=MALFORMED, role=MALFORMED)
    def run(email, name, organisation, role):
        data = {
            "email": email,
            "full_name": name,
            "organisation": gemeente_a.pk if len(name) % 2 else organisation,
            "role": role,
        }
        check(client.post(reverse("invitation_list"), data), [name])

    run()


FILTER_PAGES = {
    "incidents:dashboard": (Role.GRIFFIER, "gemeente_a"),
    "incidents:export": (Role.GRIFFIER, "gemeente_a"),
    "incidents:export_form": (Role.GRIFFIER, "gemeente_a"),
    "veiligwonen:queue": (Role.VW_INTAKE, "bzk"),
    "otwb:traject_list": (Role.OTWB_COORDINATOR, "otwb_org"),
    "otwb:session_list": (Role.OTWB_COORDINATOR, "otwb_org"),
    "otwb:coverage": (Role.OTWB_COORDINATOR, "otwb_org"),
    "monitor:index": (Role.ANALYST, "bzk"),
}
FILTER_PARAMS = [
    "status", "severity", "category", "channel", "position", "submitted_from",
    "submitted_until", "overdue", "mine", "sort", "fase", "urgentie", "functie", "opgepakt",
    "te_laat", "tour", "province", "name", "kind", "pagina", "page", "periode", "van", "tot",
]  # fmt: skip


@pytest.mark.parametrize("page", FILTER_PAGES)
def test_fuzz_filters(page, request, user_factory, client_for):
    role, org = FILTER_PAGES[page]
    client = client_for(user_factory(role, request.getfixturevalue(org)))
    url = reverse(page)
    values = MALFORMED

    @FUZZ
    @given(params=st.dictionaries(st.sampled_from(FILTER_PARAMS), values, max_size=6))
    def run(params):
        check(client.get(url, params), [])

    run()


def test_fuzz_regression_nul_byte_in_an_export_filter_is_no_server_error(
    gemeente_a, user_factory, client_for
):
    client = client_for(user_factory(Role.GRIFFIER, gemeente_a))
    # Found by the fuzzer: the export wrote raw query values (with a NUL) into the audit log.
    response = client.get(reverse("incidents:export"), {"status": "\x00"})
    assert response.status_code < 500


def test_fuzz_examples_were_counted():
    """Runs last in this module: reports how many fuzzed requests were checked."""
    print(f"\nFUZZ examples run in this module: {EXAMPLES['total']} {PER_TEST}")
    assert all(n >= 25 for n in PER_TEST.values()), PER_TEST
