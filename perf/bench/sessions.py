"""Logged-in sessions for the benchmark: a test client, or a stored session whose cookie a
load generator sends. The session is marked as having passed the second factor the way
allauth records it, so the MFA middleware lets staff roles through as after a real
login."""

import time

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.test import Client
from django.utils.module_loading import import_string

from weerbaar.backends import auth as auth_backend

__all__ = ["BACKEND", "end_sessions", "logged_in_client", "session_key_for"]

BACKEND = auth_backend.PATH


def _auth_records(user):
    now = time.time()
    return [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]


def logged_in_client(user):
    client = Client()
    client.force_login(user, backend=BACKEND)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = _auth_records(user)
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return client


def _store():
    return import_string(f"{settings.SESSION_ENGINE}.SessionStore")()


def session_key_for(user):
    """A stored session for ``user`` (for a client outside this process): its key."""
    store = _store()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[AUTHENTICATION_METHODS_SESSION_KEY] = _auth_records(user)
    store[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    store.create()
    return store.session_key


def end_sessions(keys):
    """End the sessions ``session_key_for`` made (database row and cached copy)."""
    store = _store()
    for key in keys:
        store.delete(key)
