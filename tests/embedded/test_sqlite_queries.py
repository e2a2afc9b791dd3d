"""`make run` uses SQLite: the access scopes must compile there too. A lookup PostgreSQL has
and SQLite lacks (JSON containment, ``ArrayAgg``) fails only at run time, on the first page
that uses it; here each scope is compiled for SQLite without running it."""

import pytest
from django.db.utils import ConnectionHandler

from incidents.models import Melding
from weerbaar.constants import Role

from ..factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def sqlite():
    handler = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
    )
    yield handler["default"]
    handler.close_all()


@pytest.mark.parametrize(
    "role", [Role.GRIFFIER, Role.SECRETARIS, Role.VOORZITTER, Role.VERTROUWENSPERSOON]
)
def test_the_triage_scope_compiles_for_sqlite(role, gemeente_a, otwb_org, sqlite):
    user = make_user(role, otwb_org if role == Role.VERTROUWENSPERSOON else gemeente_a)
    queryset = Melding.objects.triageable_by(user)
    sql, _params = queryset.query.get_compiler(connection=sqlite).as_sql()
    assert "incidents_melding" in sql


def test_the_planners_statement_runs_on_sqlite(sqlite):
    """The planner's pool is one statement of constant text with its own parameters: a
    ``time`` or an aware datetime bound as it is fails on SQLite (``make run``) at the first
    slot a coordinator opens."""
    from datetime import datetime, timedelta

    from django.utils import timezone

    from otwb import planner
    from otwb.models import Assignment, AvailabilityException, Trainer, WeeklyAvailability

    with sqlite.schema_editor() as editor:
        for model in (Trainer, Assignment, AvailabilityException, WeeklyAvailability):
            editor.create_model(model)
    starts_at = timezone.make_aware(datetime(2026, 12, 8, 10))
    for limit in (None, 5):
        params = planner.statement_parameters(
            starts_at, starts_at + timedelta(hours=2), limit=limit, using=sqlite
        )
        with sqlite.cursor() as cursor:
            cursor.execute(planner._STATEMENT, params)
            assert cursor.fetchall() == []
