"""ASVS V14: data protection — no caching of authenticated pages."""

from weerbaar.constants import Role

from .urlwalk import all_paths


def test_14_3_2_no_store_on_every_authenticated_response(gemeente_a, user_factory, client_for):
    client = client_for(user_factory(Role.GRIFFIER, gemeente_a))
    checked = 0
    for path in all_paths():
        if path.startswith(("/static/", "/accounts/logout/")):
            continue
        response = client.get(path)
        assert "no-store" in response["Cache-Control"], path
        checked += 1
    assert checked > 40
