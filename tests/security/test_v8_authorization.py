"""ASVS V8: authorization — deny by default on every URL."""

import pytest
from django.test import Client

from weerbaar.constants import Role

from .urlwalk import PUBLIC_PREFIXES, all_paths


@pytest.fixture(scope="module")
def paths():
    found = all_paths()
    assert len(found) > 40
    return found


def test_8_2_1_every_url_denies_anonymous_users(db, paths):
    client = Client()
    walked = 0
    for path in paths:
        if path.startswith(PUBLIC_PREFIXES):
            continue
        walked += 1
        response = client.get(path)
        if response.status_code == 302:
            assert "login" in response["Location"] or response["Location"] == "/beheer/", path
        elif path.startswith("/api/"):
            # A system, not a browser: no login page, a 401 (problem details) or 405.
            assert response.status_code in (401, 405), (path, response.status_code)
        else:
            assert response.status_code in (404, 405, 410), (path, response.status_code)
    assert walked > 20


@pytest.mark.parametrize("role", [Role.OFFICE_HOLDER, Role.CIVIL_SERVANT])
def test_8_2_1_reporters_reach_no_staff_page(role, gemeente_a, user_factory, client_for, paths):
    """A reporter's GET on any URL is either their own area or refused; never a 500."""
    user = user_factory(role, gemeente_a)
    client = client_for(user)
    for path in paths:
        if path.startswith(("/static/", "/accounts/logout/")):
            continue
        response = client.get(path)
        assert response.status_code < 500, path
        if path.startswith("/beheer/"):
            assert response.status_code in (302, 403, 404), path
