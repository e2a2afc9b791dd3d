"""ASVS 16.2.5: no sensitive data in logs — nor in the audit log, the outbox or the emails.

Everything any logger writes (root, structlog, Django's own, every level) is captured while
a whole Veilig Wonen application and a whole melding go through the portal's pages, including
failures (a refused form, a refused upload, a refused id). The captured text must not hold the
description, the perpetrator, the witnesses, the home address, the household or the phone
number."""

import logging

import pytest
from django.core import mail
from django.urls import reverse

from incidents.views import case_sections
from tests.incidents.helpers import form_data
from tests.security.world import png_bytes
from tests.veiligwonen.factories import Cast, to_issued
from veiligwonen.models import Application
from weerbaar.constants import Position, Role
from weerbaar.logging import json_formatter
from weerbaar.models import AuditEvent, Notification
from weerbaar.notifications import deliver_pending

DESCRIPTION = "Hij riep dat hij wist waar mijn kinderen naar school gaan Zwanenvijver"
PERPETRATOR = "Buurman Kees Vermeulen uit de Lindelaan"
WITNESSES = "Getuige Anouk Smit, 06-99887766"
HOME = "Geheimehof 13, 3512 ZZ Utrecht"
HOUSEHOLD = "Echtgenote Mirjam en zoon Daan"
PHONE = "06-55512345"
SECRETS = [
    "Zwanenvijver",
    "Kees Vermeulen",
    "Anouk Smit",
    "06-99887766",
    "Geheimehof",
    "Mirjam",
    PHONE,
]


class Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.setFormatter(json_formatter())
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def captured():
    """Every logger at DEBUG, every record formatted as production formats it."""
    handler = Capture()
    root = logging.getLogger()
    loggers = [root] + [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    saved = [(lg, lg.level, lg.disabled) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
        lg.disabled = False
    root.addHandler(handler)
    yield handler.lines
    root.removeHandler(handler)
    for lg, level, disabled in saved:
        lg.setLevel(level)
        lg.disabled = disabled


def assert_clean(text, where):
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} found in {where}"


def assert_nothing_leaked(lines):
    # The refused id was logged by Django ("Not Found: /..."): the capture sees Django's logs.
    assert any("Not Found" in line for line in lines), "the capture is broken"
    assert_clean("\n".join(lines), "the logs")
    details = "\n".join(str(d) for d in AuditEvent.objects.values_list("detail", flat=True))
    assert_clean(details, "the audit log")
    outbox = "\n".join(
        f"{s} {b} {ln}" for s, b, ln in Notification.objects.values_list("subject", "body", "link")
    )
    assert_clean(outbox, "the outbox")
    deliver_pending()
    assert mail.outbox
    assert_clean("\n".join(f"{m.subject}\n{m.body}" for m in mail.outbox), "the emails")


def test_16_2_5_a_whole_melding_leaves_no_content_in_logs(
    captured, gemeente_a, user_factory, client_for, caplog
):
    raadslid = user_factory(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    griffier = user_factory(Role.GRIFFIER, gemeente_a)
    outsider = user_factory(Role.GRIFFIER, gemeente_a.__class__.objects.get(code="GM0014"))
    reporter = client_for(raadslid)
    data = form_data(
        description=DESCRIPTION,
        perpetrator="known",
        perpetrator_details=PERPETRATOR,
        witnesses=WITNESSES,
    )
    # A refused send first (no categories), then the real one.
    refused = reporter.post(reverse("incidents:new"), {**data, "categories": []})
    assert refused.status_code == 200
    response = reporter.post(reverse("incidents:new"), data)
    assert response.status_code == 302
    pk = int(response["Location"].split("/")[2])  # /meldingen/<pk>/verstuurd/
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("Geheimehof.png", png_bytes(), content_type="image/png")
    reporter.post(reverse("incidents:upload", args=[pk]), {"attachments": [upload]})
    bad = SimpleUploadedFile("Zwanenvijver.exe", b"MZ" + b"\0" * 100, "image/png")
    reporter.post(reverse("incidents:upload", args=[pk]), {"attachments": [bad]})
    triager = client_for(griffier)
    assert triager.get(reverse("incidents:case", args=[pk])).status_code == 200
    # Every follow-up section open, and each as the case page's script fetches it.
    every = "&".join(f"open={section.id}" for section in case_sections.FOLLOW_UP)
    assert triager.get(f"{reverse('incidents:case', args=[pk])}?{every}").status_code == 200
    for section in case_sections.FOLLOW_UP:
        url = reverse("incidents:case_section", args=[pk, section.id])
        assert triager.get(url, headers={"X-Requested-With": "fetch"}).status_code == 200
    triager.post(reverse("incidents:severity", args=[pk]), {"severity": "high"})
    triager.post(reverse("incidents:note", args=[pk]), {"body": f"Bel {PHONE} terug"})
    triager.post(reverse("incidents:message", args=[pk]), {"body": f"Over {PERPETRATOR}"})
    triager.get(reverse("incidents:dashboard"), {"q": DESCRIPTION})
    b"".join(triager.get(reverse("incidents:export")).streaming_content)
    triager.post(reverse("incidents:export_form"), {"format": "xlsx", "with_text": "on"})
    triager.get(reverse("incidents:aangifte_pdf", args=[pk]))
    assert client_for(outsider).get(reverse("incidents:case", args=[pk])).status_code == 404
    assert_nothing_leaked(captured)


def test_16_2_5_a_whole_veilig_wonen_application_leaves_no_home_in_logs(
    captured, gemeente_a, gemeente_b, bzk, ccv, client_for
):
    cast = Cast(gemeente_a, gemeente_b, bzk, ccv)
    applicant = client_for(cast.burgemeester)
    membership = cast.membership(cast.burgemeester)
    refused = applicant.post(reverse("veiligwonen:apply"), {"membership": "", "home_address": HOME})
    assert refused.status_code == 200
    applicant.post(
        reverse("veiligwonen:apply"),
        {
            "membership": membership.pk,
            "home_address": HOME,
            "household": HOUSEHOLD,
            "phone": PHONE,
            "recent_threats": "on",
        },
    )
    application = Application.objects.get(applicant=cast.burgemeester)
    to_issued(cast, application)
    for user in (cast.burgemeester, cast.secretaris, cast.intake, cast.other_secretaris):
        client_for(user).get(reverse("veiligwonen:detail", args=[application.pk]))
    applicant.get(reverse("veiligwonen:pdf_applicant", args=[application.pk]))
    client_for(cast.intake).get(reverse("veiligwonen:queue"), {"q": HOME})
    assert_nothing_leaked(captured)


def _raise_for_the_traceback():
    raise ValueError("deliberate failure for the log")


def test_json_log_lines_keep_the_formatted_traceback(captured):
    """``exc_info`` is written as the traceback text, not as ``<traceback object at …>``:
    for the standard library's loggers and for structlog's."""
    import json

    import structlog

    for logger in (logging.getLogger("weerbaar.test"), structlog.get_logger("weerbaar.test")):
        try:
            _raise_for_the_traceback()
        except ValueError:
            logger.error("Het ging mis", exc_info=True)
    lines = [json.loads(line) for line in captured if "Het ging mis" in line]
    assert len(lines) == 2
    for line in lines:
        assert "traceback object" not in json.dumps(line)
        text = line["exception"]
        assert text.startswith("Traceback (most recent call last):")
        assert "in _raise_for_the_traceback" in text
        assert text.rstrip().endswith("ValueError: deliberate failure for the log")


def test_a_database_error_in_the_log_does_not_carry_the_row(captured, gemeente_a, user_factory):
    """PostgreSQL quotes the offending values in DETAIL (``Key (email)=(…)``): a traceback
    must not write them to the log."""
    import json

    from django.db import IntegrityError, transaction

    from weerbaar.models import User

    user = user_factory(Role.OFFICE_HOLDER, gemeente_a)
    try:
        with transaction.atomic():
            User.objects.create(email=user.email, full_name="Kees Vermeulen")
    except IntegrityError:
        logging.getLogger("weerbaar.test").exception("Opslaan mislukt")
    [line] = [json.loads(line) for line in captured if "Opslaan mislukt" in line]
    assert "IntegrityError" in line["exception"]
    assert user.email not in json.dumps(line)
