"""The year's cube in one statement (``monitor.aggregates.cube``) groups the same rows the
same way on PostgreSQL (grouping sets) and on SQLite (``make run``: UNION ALL, SQLite has no
grouping sets): each month, quarter and the year over its own rows, its people distinct
over them."""

import pytest
from django.db import connection as postgresql
from django.db.utils import ConnectionHandler

from monitor.aggregates import cube

# (day sent, organisation, person): person 1 in January, February and April, person 2 twice
# in February; another organisation in March.
ROWS = [
    ("2026-01-05", 1, 1),
    ("2026-02-03", 1, 1),
    ("2026-02-10", 1, 2),
    ("2026-02-11", 1, 2),
    ("2026-04-20", 1, 1),
    ("2026-03-01", 2, 7),
]
INNER = {
    "sqlite": (
        "SELECT date(sent, 'start of month') AS cube_month, "
        "date(sent, 'start of month', "
        "'-' || ((CAST(strftime('%%m', sent) AS integer) - 1) %% 3) || ' months') "
        "AS cube_quarter, org AS cube_by0, person AS cube_people FROM t"
    ),
    "postgresql": (
        "SELECT date_trunc('month', sent)::date AS cube_month, "
        "date_trunc('quarter', sent)::date AS cube_quarter, org AS cube_by0, "
        "person AS cube_people FROM t"
    ),
}
MEASURES = {"n": cube.ROWS, "people": cube.distinct(None)}


@pytest.fixture
def sqlite(django_db_blocker):
    handler = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
    )
    connection = handler["default"]
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("CREATE TABLE t (sent date, org integer, person integer)")
        for row in ROWS:
            cursor.execute("INSERT INTO t VALUES (%s, %s, %s)", row)
    yield connection
    connection.close()


@pytest.fixture
def postgres(db):
    with postgresql.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE t (sent date, org integer, person integer)")
        for row in ROWS:
            cursor.execute("INSERT INTO t VALUES (%s, %s, %s)", row)
    return postgresql


def grouped(connection):
    sql = cube._sql(connection, INNER[connection.vendor], {"cube_by0": None}, MEASURES)
    with connection.cursor() as cursor:
        cursor.execute(sql, [])
        rows = cursor.fetchall()
    result = {}
    for month, quarter, org, n, people in rows:
        level = str(month)[:7] if month else (f"Q{str(quarter)[5:7]}" if quarter else "year")
        result[(level, org)] = (n, people)
    return result


EXPECTED = {
    ("2026-01", 1): (1, 1),
    ("2026-02", 1): (3, 2),
    ("2026-04", 1): (1, 1),
    ("2026-03", 2): (1, 1),
    ("Q01", 1): (4, 2),  # person 1 and person 2: not 1 + 2 from the months
    ("Q04", 1): (1, 1),
    ("Q01", 2): (1, 1),
    ("year", 1): (5, 2),
    ("year", 2): (1, 1),
}


def test_sqlite_counts_every_period_in_one_statement_like_postgresql(sqlite, postgres):
    assert grouped(sqlite) == EXPECTED
    assert grouped(postgres) == EXPECTED
