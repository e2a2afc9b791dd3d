"""The case page reads what it shows in a fixed number of queries for every role that opens
it, however many documents and messages the application has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from veiligwonen.models import Document, Message

from .factories import submit, to_issued

pytestmark = pytest.mark.django_db

ROLES = ("burgemeester", "intake", "adviser", "bva", "secretaris")
KINDS = ("scan_report", "quote", "invoice")


def _add(cast, app, n):
    for i in range(n):
        Document.objects.create(
            application=app,
            kind=KINDS[i % len(KINDS)],
            uploaded_by=cast.adviser,
            filename=f"stuk-{i}.pdf",
            content_type="application/pdf",
            size=1,
            data=b"x",
        )
        author = (cast.burgemeester, cast.intake, cast.adviser)[i % 3]
        Message.objects.create(application=app, author=author, body=f"Testbericht {i}")


def _counts(cast, clients, app):
    counts = {}
    for role in ROLES:
        with CaptureQueriesContext(connection) as ctx:
            response = clients[role].get(app.get_absolute_url())
        assert response.status_code == 200
        counts[role] = len(ctx.captured_queries)
    return counts


def test_case_page_count_per_role_does_not_grow_with_documents_and_messages(cast, client_for):
    app = to_issued(cast, submit(cast))
    clients = {role: client_for(getattr(cast, role)) for role in ROLES}
    _add(cast, app, 1)
    _counts(cast, clients, app)  # the first visit marks the new messages read
    one = _counts(cast, clients, app)
    _add(cast, app, 9)
    with_new = _counts(cast, clients, app)
    ten = _counts(cast, clients, app)
    assert one == ten, (one, ten)
    # The memberships are one query here (the test client's session; on the portal they
    # come with the user), so a page read is 8 at most.
    assert max(ten.values()) <= 8, ten
    # Who is in the thread writes the read marker once (one upsert) when something was new.
    assert with_new == {
        role: n + (1 if role in ("burgemeester", "intake", "adviser") else 0)
        for role, n in ten.items()
    }
    # What each sees did not change: the thread only in the thread, the scan report only
    # for who sees the private details.
    for role in ROLES:
        html = clients[role].get(app.get_absolute_url()).content.decode()
        in_thread = role in ("burgemeester", "intake", "adviser")
        assert html.count("Testbericht ") == (10 if in_thread else 0), role
        assert ("stuk-0.pdf" in html) == (role != "secretaris"), role
