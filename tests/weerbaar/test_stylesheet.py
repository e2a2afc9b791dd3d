"""The stylesheet inline on a first visit (weerbaar/stylesheet.py): which visit gets the text,
which the link; the CSP's hash of exactly that text; the version cookie; and where the text
is read from (the collected, fingerprinted file; the finders' file with DEBUG)."""

import base64
import hashlib
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from weerbaar import stylesheet
from weerbaar.stylesheet import COOKIE_NAME, portal_stylesheet

pytestmark = pytest.mark.django_db

STYLE = re.compile(r"<style>(.*?)</style>", re.S)


@pytest.fixture(autouse=True)
def inline_on(settings):
    settings.STYLESHEET_INLINE_ON_FIRST_VISIT = True
    stylesheet._kept.clear()
    yield
    stylesheet._kept.clear()


def _style_src(response):
    for part in response["Content-Security-Policy"].split(";"):
        words = part.split()
        if words and words[0] == "style-src":
            return words[1:]
    raise AssertionError(response["Content-Security-Policy"])


def _link(href):
    return f'<link rel="stylesheet" href="{href}">'


def test_a_first_visit_gets_the_text_allowed_by_its_hash_and_the_cookie():
    response = Client().get(reverse("account_login"))
    html = response.content.decode()
    sheet = portal_stylesheet()
    [text] = STYLE.findall(html)
    assert text == sheet.text
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    assert _style_src(response) == ["'self'", f"'sha256-{digest}'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert _link(sheet.href) not in html
    assert f'<link rel="prefetch" href="{sheet.href}">' in html
    cookie = response.cookies[COOKIE_NAME]
    assert cookie.value == sheet.version
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert "Cookie" in response["Vary"]
    assert "private" in response["Cache-Control"]


def test_a_visit_with_the_current_version_links_the_file():
    client = Client()
    client.get(reverse("account_login"))
    response = client.get(reverse("account_login"))
    html = response.content.decode()
    sheet = portal_stylesheet()
    assert "<style" not in html
    assert _link(sheet.href) in html
    assert 'rel="prefetch"' not in html
    assert _style_src(response) == ["'self'"]
    assert COOKIE_NAME not in response.cookies
    assert "Cookie" in response["Vary"]


def test_a_stale_version_gets_the_text_again():
    client = Client()
    client.cookies[COOKIE_NAME] = "0123456789abcdef"
    response = client.get(reverse("account_login"))
    assert STYLE.findall(response.content.decode()) == [portal_stylesheet().text]
    assert response.cookies[COOKIE_NAME].value == portal_stylesheet().version


def test_turned_off_every_visit_links_the_file(settings):
    settings.STYLESHEET_INLINE_ON_FIRST_VISIT = False
    response = Client().get(reverse("account_login"))
    assert "<style" not in response.content.decode()
    assert COOKIE_NAME not in response.cookies
    assert _style_src(response) == ["'self'"]


def test_the_fonts_are_named_from_the_page_not_from_the_stylesheet():
    text = portal_stylesheet().text
    fonts = re.findall(r'url\("([^"]+)"\)', text)
    assert len(fonts) == 6
    assert all(font.startswith("/static/vendor/fonts/source-sans-3-") for font in fonts)


def test_production_reads_the_fingerprinted_collected_file(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", "-v0", "-i", "swagger-ui")
    sheet = portal_stylesheet()
    assert re.fullmatch(r"/static/vendor/css/portal\.[0-9a-f]{12}\.css", sheet.href)
    collected = (tmp_path / sheet.href.removeprefix("/static/")).read_bytes()
    assert sheet.version == hashlib.sha256(collected).hexdigest()[:16]
    fonts = re.findall(r'url\("([^"]+)"\)', sheet.text)
    assert fonts and all(
        re.fullmatch(r"/static/vendor/fonts/source-sans-3-[\w-]+\.[0-9a-f]{12}\.woff2", font)
        for font in fonts
    )
    response = Client().get(reverse("account_login"))
    assert STYLE.findall(response.content.decode()) == [sheet.text]


def test_with_debug_the_file_of_the_finders_is_read_again_when_it_changes(settings, tmp_path):
    """make run: DEBUG, the production storage (with a manifest), nothing collected."""
    css = tmp_path / "static" / "vendor" / "css" / "portal.css"
    css.parent.mkdir(parents=True)
    css.write_text('body{color:red}@font-face{src:url("../fonts/a.woff2")}')
    settings.DEBUG = True
    settings.STATICFILES_DIRS = [tmp_path / "static"]
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    first = portal_stylesheet()
    assert first.href == "/static/vendor/css/portal.css"
    assert first.text == 'body{color:red}@font-face{src:url("/static/vendor/fonts/a.woff2")}'
    assert portal_stylesheet() is first
    css.write_text("body{color:blue}")
    second = portal_stylesheet()
    assert second.text == "body{color:blue}"
    assert second.version != first.version


def test_a_stylesheet_cannot_end_the_element_early(settings, tmp_path):
    css = tmp_path / "vendor" / "css" / "portal.css"
    css.parent.mkdir(parents=True)
    css.write_text('a::after{content:"</style><script>"}')
    settings.DEBUG = True
    settings.STATICFILES_DIRS = [tmp_path]
    assert portal_stylesheet().text == 'a::after{content:"\\3c/style><script>"}'
