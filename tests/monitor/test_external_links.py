"""The monitor links a gemeente's own roles to Zicht op Ondermijning for their gemeente
(by CBS code); a provincie, a waterschap and the national view get no such link."""

import re

import pytest

from monitor.external import ZICHT_OP_ONDERMIJNING
from weerbaar.constants import Role
from weerbaar.models import Organisation

pytestmark = pytest.mark.django_db


def link(response):
    """The href of the link to Zicht op Ondermijning, or None."""
    assert response.status_code == 200
    found = re.search(
        r'<a [^>]*href="([^"]+)"[^>]*id="zicht-op-ondermijning"', response.content.decode()
    )
    return found[1] if found else None


@pytest.mark.parametrize("role", [Role.GRIFFIER, Role.SECRETARIS])
def test_gemeente_roles_get_the_link_for_their_own_gemeente(
    gemeente_a, role, user_factory, client_for
):
    response = client_for(user_factory(role, gemeente_a)).get("/monitor/")
    assert link(response) == ZICHT_OP_ONDERMIJNING
    text = response.content.decode()
    assert "Kies daar de gemeente Utrecht (CBS-code GM0344)." in text


def test_no_link_for_a_provincie_a_waterschap_or_the_national_view(
    organisations, user_factory, client_for, bzk
):
    for code in ("PV26", "WS0636"):
        griffier = user_factory(Role.SECRETARIS, Organisation.objects.get(code=code))
        assert link(client_for(griffier).get("/monitor/")) is None
    analyst = user_factory(Role.ANALYST, bzk)
    assert link(client_for(analyst).get("/monitor/")) is None
