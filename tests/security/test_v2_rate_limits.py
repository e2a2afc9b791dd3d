"""ASVS 2.4.1: anti-automation on filing meldingen and uploading attachments.

A reporter account that files hundreds of meldingen or uploads files in a loop (a stolen
account, a script) would bury the griffie and fill the database. The limits are allauth
rate limits (``ACCOUNT_RATE_LIMITS["melding_submit"]`` and ``["melding_upload"]``, per user,
on the Redis cache), so they are configured next to the login limits.

Reporting must not depend on the cache: without Redis the limits hold on the database
(``weerbaar.backends.cache``); should even that cache fail, the limit is skipped, not the
report."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incidents.models import Attachment, Melding
from tests.incidents.helpers import form_data
from weerbaar.constants import Position, Role

from .world import png_bytes


def limit(action):
    spec = settings.ACCOUNT_RATE_LIMITS.get(action, "")
    return int(spec.split("/", 1)[0]) if spec else 0


@pytest.fixture
def reporter(gemeente_a, user_factory, client_for):
    user = user_factory(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    user_factory(Role.GRIFFIER, gemeente_a)
    return user, client_for(user)


def refused_in_dutch(response):
    html = response.content.decode()
    return response.status_code in (200, 429) and "Te veel" in html


def test_2_4_1_filing_meldingen_is_rate_limited_per_user(reporter):
    user, client = reporter
    allowed = limit("melding_submit") or 30
    for _ in range(allowed):
        assert client.post(reverse("incidents:new"), form_data()).status_code == 302
    response = client.post(reverse("incidents:new"), form_data())
    assert refused_in_dutch(response)
    assert Melding.objects.filter(reporter=user).count() == allowed


def test_2_4_1_uploading_attachments_is_rate_limited_per_user(reporter):
    user, client = reporter
    client.post(reverse("incidents:new"), form_data())
    melding = Melding.objects.get(reporter=user)
    allowed = limit("melding_upload") or 60
    url = reverse("incidents:upload", args=[melding.pk])
    for i in range(allowed + 1):
        upload = SimpleUploadedFile(f"scherm{i}.png", png_bytes(), content_type="image/png")
        response = client.post(url, {"attachments": [upload]}, follow=True)
    assert refused_in_dutch(response)
    assert Attachment.objects.filter(melding=melding).count() == allowed
