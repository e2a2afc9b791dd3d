import os
import time

import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from django.conf import settings
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import translation

from weerbaar.backends import auth as auth_backend
from weerbaar.backends.cache import forget_failures
from weerbaar.constants import OrganisationKind, Role
from weerbaar.models import Organisation, OrganisationProfile

from . import db_roles
from .factories import make_user


@pytest.fixture(autouse=True)
def _clean_cache():
    """Each test starts with empty caches, the per-process fragment cache included (it lives
    as long as the process), and trying Redis first."""
    forget_failures()
    cache.clear()
    caches["fragments"].clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the portal's default language. A request through the test client
    leaves the language it chose active in this thread (a real request always activates its
    own), so an English page in one test would otherwise word the next test's texts."""
    translation.activate(settings.LANGUAGE_CODE)
    yield


def load_organisations():
    call_command("load_organisations", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture(scope="session")
def db_roles_names(django_db_modify_db_settings_parallel_suffix):
    """(owner, app): the two roles of tests/db_roles.py, created by the DATABASE_URL user."""
    return db_roles.prepare_roles(connection.settings_dict)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(db_roles_names):
    """pytest-django creates and migrates the test database with these settings: as the
    owner."""
    db_roles.use_role(db_roles_names[0])


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, db_roles_names):
    """As the owner: grant the app role its rights and install the test triggers; from then
    on every connection is the app role's. Load the reference data once per test database;
    each test rolls back on top of it."""
    owner, app = db_roles_names
    with django_db_blocker.unblock():
        call_command("grant_app_role", role=app, stdout=open(os.devnull, "w"))  # noqa: SIM115
        db_roles.install_refusal_triggers(connection)
        db_roles.use_role(app)
        load_organisations()
    with db_roles.owner_flush(owner):
        yield
    with django_db_blocker.unblock():
        db_roles.use_role(owner)


@pytest.fixture
def organisations(db):
    """All reference organisations (342 gemeenten, 12 provincies, 21 waterschappen) and
    the national bodies, loaded as in production. (Transactional tests empty the tables
    afterwards; then they are loaded again.)"""
    if not Organisation.objects.filter(code="OTWB").exists():
        load_organisations()
    return Organisation.objects


def fill_profile(org, *, street, postcode, place):
    """The visiting address (the domicile of an aangifte), written as the profile page does."""
    OrganisationProfile.objects.update_or_create(
        organisation=org,
        defaults={"visit_street": street, "visit_postcode": postcode, "visit_place": place},
    )


@pytest.fixture
def gemeente_a(organisations):
    org = Organisation.objects.get(code="GM0344")  # Utrecht
    fill_profile(org, street="Stadsplateau 1", postcode="3521 AZ", place="Utrecht")
    return org


@pytest.fixture
def gemeente_b(organisations):
    org = Organisation.objects.get(code="GM0014")  # Groningen
    fill_profile(org, street="Grote Markt 1", postcode="9712 HN", place="Groningen")
    return org


@pytest.fixture
def provincie(organisations):
    return Organisation.objects.get(code="PV26")


@pytest.fixture
def waterschap(organisations):
    return Organisation.objects.get(code="WS0636")


@pytest.fixture
def bzk(organisations):
    return Organisation.objects.get(code="BZK", kind=OrganisationKind.NATIONAL)


@pytest.fixture
def ccv(organisations):
    return Organisation.objects.get(code="CCV")


@pytest.fixture
def otwb_org(organisations):
    return Organisation.objects.get(code="OTWB")


@pytest.fixture
def user_factory(db):
    """``user_factory(role, organisation, position="")`` → a user with one membership."""
    return make_user


def mark_mfa_passed(client, user):
    """Give the client's session a passed second factor, as allauth records it."""
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


@pytest.fixture
def client_for(db):
    """``client_for(user)`` → a test Client logged in as ``user``, with MFA passed."""

    def make(user, *, mfa=True):
        client = Client()
        client.force_login(user, backend=auth_backend.PATH)
        if mfa:
            mark_mfa_passed(client, user)
        return client

    return make


@pytest.fixture
def griffier_a(gemeente_a):
    return make_user(Role.GRIFFIER, gemeente_a)


@pytest.fixture
def griffier_b(gemeente_b):
    return make_user(Role.GRIFFIER, gemeente_b)
