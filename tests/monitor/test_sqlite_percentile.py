"""Medians on SQLite (``make run``): the monitor's Percentile aggregate runs there as the
same continuous percentile as PostgreSQL's ``percentile_cont``, so the demo shows its
medians instead of an implementation note."""

from datetime import datetime, timedelta

import pytest
from django.db.models import BooleanField, DurationField
from django.db.models.expressions import RawSQL
from django.db.models.sql import Query
from django.db.utils import ConnectionHandler

from monitor.aggregates.base import Percentile


@pytest.fixture
def sqlite(django_db_blocker):
    """A real SQLite database beside the test database (which is PostgreSQL)."""
    django_db_blocker.unblock()
    handler = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
    )
    connection = handler["default"]
    with connection.cursor() as cursor:  # connects: connection_created registers it
        cursor.execute("CREATE TABLE t (sent datetime, acked datetime, kind text)")
        start = datetime(2026, 3, 2, 9)
        rows = [(1, "a"), (2, "a"), (3, "a"), (10, "b"), (None, "a")]
        for hours, kind in rows:
            acked = None if hours is None else start + timedelta(hours=hours)
            cursor.execute(
                "INSERT INTO t VALUES (%s, %s, %s)",
                [start.isoformat(" "), acked and acked.isoformat(" "), kind],
            )
    yield connection
    connection.close()
    django_db_blocker.restore()


def run(connection, aggregate):
    compiler = Query(None).get_compiler(connection=connection)
    sql, params = compiler.compile(aggregate)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql} FROM t", params)
        (value,) = cursor.fetchone()
    # What the ORM does with a duration read from SQLite (microseconds).
    return connection.ops.convert_durationfield_value(value, None, connection)


def waits():
    return RawSQL("django_timestamp_diff(acked, sent)", [], output_field=DurationField())


def kind(value):
    return RawSQL("kind = %s", [value], output_field=BooleanField())


def test_median_and_90th_percentile_on_sqlite_interpolate_like_postgresql(sqlite):
    # 1, 2, 3 and 10 hours (one melding never acknowledged: ignored)
    assert run(sqlite, Percentile(waits(), 0.5)) == timedelta(hours=2.5)
    assert run(sqlite, Percentile(waits(), 0.9)) == timedelta(hours=7.9)


def test_percentile_on_sqlite_honours_its_filter_and_is_null_without_values(sqlite):
    only_a = Percentile(waits(), 0.5, filter=kind("a"))
    assert run(sqlite, only_a) == timedelta(hours=2)
    assert run(sqlite, Percentile(waits(), 0.5, filter=kind("c"))) is None
