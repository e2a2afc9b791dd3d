"""Every list endpoint beyond meldingen runs a fixed number of queries whatever the number
of rows on its page (≤ 12, the page budget): 30 rows cost what 3 cost. The rows are made
through the apps' own services where they have one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents.services import triage
from otwb.constants import SessionKind
from otwb.services.registrations import register_driehoek
from veiligwonen import services as vw
from veiligwonen.models import MeasureType
from weerbaar.constants import Role

from ..factories import OrganisationFactory, make_user
from ..incidents.factories import make_melding
from ..otwb.factories import SessionFactory, driehoek_people
from ..veiligwonen.factories import Cast, submit, to_scan_done

pytestmark = pytest.mark.django_db

BUDGET = 12
ROWS = 30


@pytest.fixture
def many(gemeente_a, gemeente_b, bzk, ccv, otwb_org, raadslid_a, catalogue):
    cast = Cast(gemeente_a, gemeente_b, bzk, ccv)
    # A timeline of more than 30 lines: assigned and unassigned, each a line with a name.
    melding = make_melding(raadslid_a)
    for _ in range(ROWS // 2):
        triage.assign(melding, cast.griffier, actor=cast.griffier)
        triage.assign(melding, None, actor=cast.griffier)
    # 30 applications waiting in the queue, one with 30 measures in its draft advice.
    for i in range(ROWS):
        submit(cast, recent_threats=bool(i % 2))
    app = vw.start_advice(to_scan_done(cast, submit(cast)), actor=cast.adviser)
    types = list(MeasureType.objects.all())
    for i in range(ROWS):
        vw.add_measure(app, actor=cast.adviser, measure_type=types[i % len(types)])
    # 30 gemeenten more, 30 sessions of gemeente A, and 30 driehoek registrations.
    for _ in range(ROWS):
        OrganisationFactory()
    starts = timezone.now() + timezone.timedelta(days=70)
    gemeenten = [gemeente_a, gemeente_b, OrganisationFactory(code="GM0307")]
    for i in range(ROWS // len(gemeenten)):
        session = SessionFactory(kind=SessionKind.DRIEHOEK, starts_at=starts)
        session.organisations.add(gemeente_a)
        for gemeente in gemeenten:
            register_driehoek(
                session,
                gemeente,
                people=driehoek_people(f"{i}{gemeente.code}"),
                actor=make_user(Role.GRIFFIER, gemeente),
            )
    for _ in range(ROWS - ROWS // len(gemeenten)):
        SessionFactory(kind=SessionKind.COUNCIL, starts_at=starts).organisations.add(gemeente_a)
    return melding


LISTS = [
    # (name, client organisation, role, scopes, path)
    ("tijdlijn", "GM0344", Role.GRIFFIER, ("meldingen:lezen", "meldingen:inhoud"), "TIMELINE"),
    (
        "vw_aanvragen",
        "BZK",
        Role.VW_INTAKE,
        ("veiligwonen:lezen", "veiligwonen:persoonsgegevens"),
        "/api/v1/veilig-wonen/aanvragen?waiting=true",
    ),
    (
        "vw_maatregelen",
        "BZK",
        Role.VW_INTAKE,
        ("veiligwonen:lezen",),
        "/api/v1/veilig-wonen/maatregelen",
    ),
    ("otwb_sessies", "OTWB", Role.OTWB_COORDINATOR, ("otwb:lezen",), "/api/v1/otwb/sessies"),
    (
        "otwb_sessies_griffier",
        "GM0344",
        Role.GRIFFIER,
        ("otwb:lezen",),
        "/api/v1/otwb/sessies",
    ),
    (
        "otwb_aanmeldingen",
        "OTWB",
        Role.OTWB_COORDINATOR,
        ("otwb:lezen", "otwb:persoonsgegevens"),
        "/api/v1/otwb/aanmeldingen",
    ),
    ("organisaties", "GM0344", Role.GRIFFIER, ("meldingen:lezen",), "/api/v1/organisaties"),
    (
        "paraatheid",
        "OTWB",
        Role.OTWB_COORDINATOR,
        ("paraatheid:lezen",),
        "/api/v1/paraatheid?kind=gemeente",
    ),
]


@pytest.mark.parametrize(
    ("name", "code", "role", "scopes", "path"), LISTS, ids=[x[0] for x in LISTS]
)
def test_list_query_count_is_constant_and_within_budget(
    register, many, organisations, name, code, role, scopes, path
):
    caller = register(organisations.get(code=code), scopes=scopes, role=role)
    if path == "TIMELINE":
        path = f"/api/v1/meldingen/{many.pk}/tijdlijn"
    separator = "&" if "?" in path else "?"
    counts = {}
    for size in (3, ROWS):
        with CaptureQueriesContext(connection) as queries:
            response = caller.get(f"{path}{separator}pageSize={size}")
        assert response.status_code == 200, response.content
        assert len(response.json()["results"]) == size, name
        counts[size] = len(queries)
        assert len(queries) <= BUDGET, "\n".join(q["sql"][:160] for q in queries)
    assert counts[3] == counts[ROWS], counts
    print(f"{name}: {counts[ROWS]} queries for {ROWS} rows")
