"""Pages are sent gzip-compressed to a browser that accepts it (issue 25 §1: on a slow phone
the HTML is all a repeat visit downloads), with Django's random padding against BREACH, and
the same page compresses to a different length each time."""

import gzip

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_page_is_compressed_for_a_browser_that_accepts_gzip(client):
    response = client.get(reverse("account_login"), headers={"accept-encoding": "gzip, br"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert "csrfmiddlewaretoken" in html
    assert len(response.content) < len(html) / 2


def test_the_compressed_length_varies_from_response_to_response(client):
    lengths = {
        len(client.get(reverse("account_login"), headers={"accept-encoding": "gzip"}).content)
        for _ in range(8)
    }
    assert len(lengths) > 1


def test_without_accept_encoding_the_page_is_plain(client):
    response = client.get(reverse("account_login"))
    assert not response.has_header("Content-Encoding")
    assert b"csrfmiddlewaretoken" in response.content
