"""The load test of ``manage.py bench``: its client keeps cookies as a browser does, and a
short run against real gunicorn with the production settings serves signed-in pages
without an error and reports its CPU per request."""

import http.client
import io

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from incidents.models import Melding
from perf.bench.loadtest import DatabaseBackends, _keep_cookies, run_load
from weerbaar.constants import Position, Role


def _response(*set_cookies):
    """Headers as ``http.client`` parses them from a response."""
    raw = "".join(f"Set-Cookie: {c}\r\n" for c in set_cookies) + "\r\n"
    response = http.client.HTTPResponse.__new__(http.client.HTTPResponse)
    response.msg = http.client.parse_headers(io.BytesIO(raw.encode()))
    return response


def test_the_client_keeps_new_cookies_and_sends_the_session_it_has():
    jar = {"sessionid": "abc"}
    _keep_cookies(jar, _response("csrftoken=t1; Max-Age=31449600; Path=/; SameSite=Lax"))
    assert jar == {"sessionid": "abc", "csrftoken": "t1"}
    _keep_cookies(jar, _response())
    assert jar == {"sessionid": "abc", "csrftoken": "t1"}


def test_the_client_replaces_a_cookie_and_drops_one_the_portal_ends():
    jar = {"sessionid": "abc", "csrftoken": "t1"}
    _keep_cookies(
        jar,
        _response(
            "csrftoken=t2; Max-Age=31449600; Path=/",
            'sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/',
        ),
    )
    assert jar == {"csrftoken": "t2"}


@pytest.mark.faults
@pytest.mark.django_db(transaction=True)
def test_a_short_load_run_serves_signed_in_pages_without_errors(gemeente_a, user_factory):
    griffier = user_factory(Role.GRIFFIER, gemeente_a)
    raadslid = user_factory(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    assert not Melding.objects.exists()
    mix = [
        (griffier, [reverse("incidents:dashboard")]),
        (raadslid, [reverse("incidents:mine")]),
    ]

    result = run_load(mix, duration=2, threads=2, log=lambda msg: None)

    assert result["requests"] > 0
    # Any answer but 200 (a redirect to the login or MFA page included) is an error.
    assert result["errors"] == 0, result
    assert result["server_cpu_ms"] > 0


def _connect(dbname):
    db = connection.settings_dict
    return psycopg.connect(
        dbname=dbname, host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], autocommit=True
    )


@pytest.mark.django_db
def test_postgresql_cpu_of_the_load_counts_its_own_database_and_not_another():
    """On a shared server, another database's work must not be divided by this load's
    requests: the load's PostgreSQL share is its own database's backends."""
    burn = "SELECT count(*) FROM generate_series(1, 3000000)"
    own = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (django_backend,) = cursor.fetchone()
    with _connect(own) as mine, _connect("postgres") as other:
        elsewhere = DatabaseBackends(own, exclude=[django_backend])
        elsewhere.start()
        other.execute(burn)
        assert elsewhere.stop() == 0

        here = DatabaseBackends(own, exclude=[django_backend])
        here.start()
        mine.execute(burn)
        assert here.stop() > 0
