"""Demo API clients (``manage.py seed_demo``, DEBUG or DEMO_MODE only), asked for and
approved through ``api.services`` by two demo accounts as in production, so the curl
examples of docs/api.md work against ``make run`` without the four-eyes steps on screen.
Their secret is a fixed demo value, printed with the demo accounts; a production
database never holds these clients (the command and this module both refuse)."""

from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from weerbaar.constants import Role
from weerbaar.models import Organisation, User

from . import services
from .constants import ClientStatus, Scope
from .models import ApiClient

__all__ = ["DEMO_API_SECRET", "DEMO_CLIENTS", "demo_notes", "seed_demo"]

DEMO_API_SECRET = "weerbaar-demo-api-2026"


class DemoClient(NamedTuple):
    client_id: str
    name: str
    organisation: str
    role: str
    scopes: tuple
    requester: str
    approver: str


DEMO_CLIENTS = (
    DemoClient(
        "demo-utrecht",
        "Demo registratiesysteem Utrecht",
        "GM0344",
        Role.GRIFFIER,
        (
            Scope.MELDINGEN_LEZEN,
            Scope.MELDINGEN_INHOUD,
            Scope.AANGIFTE_SCHRIJVEN,
            Scope.OTWB_LEZEN,
            Scope.PARAATHEID_LEZEN,
        ),
        "secretaris@utrecht.demo",
        "griffier@utrecht.demo",
    ),
    DemoClient(
        "demo-bzk",
        "Demo BZK Veilig Wonen",
        "BZK",
        Role.VW_INTAKE,
        (Scope.VEILIGWONEN_LEZEN, Scope.VEILIGWONEN_PERSOONSGEGEVENS),
        "beheer@weerbaar.demo",
        "beheer2@weerbaar.demo",
    ),
    DemoClient(
        "demo-otwb",
        "Demo OTWB-planning",
        "OTWB",
        Role.OTWB_COORDINATOR,
        (Scope.OTWB_LEZEN, Scope.PARAATHEID_LEZEN),
        "beheer@weerbaar.demo",
        "beheer2@weerbaar.demo",
    ),
)


def _refuse_outside_demo():
    if not (settings.DEBUG or settings.DEMO_MODE):
        raise ImproperlyConfigured("Demo API clients are only for DEBUG or DEMO_MODE.")


def seed_demo():
    """Create the demo clients once (four eyes through the services); on every run give
    an active one its demo client id and secret again. A client someone revoked in the
    demo stays revoked."""
    _refuse_outside_demo()
    people = {u.email: u for u in User.objects.filter(email__endswith=".demo")}
    for spec in DEMO_CLIENTS:
        organisation = Organisation.objects.get(code=spec.organisation)
        client = ApiClient.objects.filter(name=spec.name, organisation=organisation).first()
        if client is None:
            client = services.request(
                requested_by=people[spec.requester],
                organisation=organisation,
                name=spec.name,
                role=spec.role,
                scopes=list(spec.scopes),
            )
            client, _secret = services.approve(approver=people[spec.approver], client=client)
        if client.status != ClientStatus.ACTIVE:
            continue
        application = client.application
        application.client_id = spec.client_id
        application.client_secret = DEMO_API_SECRET
        application.save()


def demo_notes():
    _refuse_outside_demo()
    lines = [
        "",
        f"Demo-API-koppelingen (geheim voor allemaal: {DEMO_API_SECRET}; zie docs/api.md)",
    ]
    for spec in DEMO_CLIENTS:
        lines.append(f"  {spec.client_id:<14} {spec.name}: {' '.join(spec.scopes)}")
    return lines
