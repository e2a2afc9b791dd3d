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
