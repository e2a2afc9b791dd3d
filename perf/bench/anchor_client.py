"""Run by the anchor's own interpreter (its virtualenv, its ``proj`` on the path), never
imported by the portal: a logged-in session of the anchor's ``staff`` user and the mix of
its ``scripts/load.py mix``, chosen as that script chooses them, so that the portal's load
client (``perf/bench/loadtest.py``) can drive the anchor and measure it as it measures the
portal.

    python anchor_client.py start      -> {"cookie": name, "session": key, "paths": [...]}
    python anchor_client.py end KEY"""

import html
import json
import random
import re
import sys

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.test import Client  # noqa: E402
from helpdesk.models import Ticket  # noqa: E402


def start():
    user = get_user_model().objects.get(username="staff")
    client = Client()
    client.force_login(user)
    page = client.get("/tickets/").content.decode()
    found = re.search(r'"url": "([^"]*datatables_ticket_list/[^"]*)"', page)
    list_json = (
        html.unescape(found.group(1))
        + "?draw=1&start=0&length=25&search%5Bvalue%5D=&search%5Bregex%5D=false"
    )
    # The ids load.py takes (a fixed seed, not a secret).
    ids = random.Random(7).sample(list(Ticket.objects.values_list("id", flat=True)), 20)  # noqa: S311
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {
        "cookie": settings.SESSION_COOKIE_NAME,
        "session": session.session_key,
        "paths": ["/tickets/", list_json] + [f"/tickets/{i}/" for i in ids[:2]],
    }


if __name__ == "__main__":
    if sys.argv[1] == "start":
        print(json.dumps(start()))
    else:
        SessionStore(session_key=sys.argv[2]).delete()
