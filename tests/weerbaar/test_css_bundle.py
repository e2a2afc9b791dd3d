"""The one stylesheet of every page (static/vendor/css/portal.css, made by
scripts/build_css.mjs from the NL Design System CSS, static/css/theme.css and
static/incidents/incidents.css) is built from those sources as they are now, and the web
fonts' ranges are the same in the subsetting script and in the @font-face rules that name
them."""

import hashlib
import re
import runpy
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
BUNDLE = ROOT / "static/vendor/css/portal.css"
THEME = ROOT / "static/css/theme.css"
SOURCES = (THEME, ROOT / "static/incidents/incidents.css")


def test_the_bundle_is_built_from_the_current_sources():
    if not BUNDLE.exists():
        pytest.fail(f"{BUNDLE} is missing: run sh scripts/build_static.sh (make setup does)")
    first_lines = BUNDLE.read_text().splitlines()[:2]
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in SOURCES)).hexdigest()
    assert f"/* sources sha256 {digest} */" in first_lines, (
        "static/vendor/css/portal.css is older than theme.css or incidents.css: "
        "run sh scripts/build_static.sh"
    )


def test_the_bundle_points_at_the_fonts_next_to_it():
    css = BUNDLE.read_text()
    urls = re.findall(r'url\("([^"]+\.woff2)"\)', css)
    assert urls
    for url in urls:
        assert (BUNDLE.parent / url).resolve().is_file(), url


def _ranges(text):
    return {part.strip().upper().replace("U+", "") for part in text.split(",") if part.strip()}


def test_the_font_ranges_of_the_script_are_those_of_the_css():
    script = runpy.run_path(str(ROOT / "scripts/subset_fonts.py"), run_name="fonts")
    css = THEME.read_text()
    faces = re.findall(r"src: url\(\"[^\"]*?(-ext)?\.woff2\"\)[^;]*;\s*unicode-range:([^;]+);", css)
    assert len(faces) == 6, "three styles, a core and an extension each"
    for ext, declared in faces:
        expected = script["EXTENSION"] if ext else script["CORE"]
        assert _ranges(declared) == _ranges(expected)
    assert not _ranges(script["CORE"]) & _ranges(script["EXTENSION"])


def _codepoints(ranges):
    points = set()
    for part in _ranges(ranges):
        first, _, last = part.partition("-")
        points.update(range(int(first, 16), int(last or first, 16) + 1))
    return points


def test_the_portals_own_text_needs_only_the_core_font():
    """Every character of the templates and the Dutch translations is in the core file or in
    neither (it then falls back, as before): a page of the portal's own text never fetches the
    extension. A character added to a template outside the core fails here; add it to CORE
    (and to theme.css) if every page may show it."""
    script = runpy.run_path(str(ROOT / "scripts/subset_fonts.py"), run_name="fonts")
    core, extension = _codepoints(script["CORE"]), _codepoints(script["EXTENSION"])
    files = [*(ROOT / "templates").rglob("*.html"), ROOT / "locale/nl/LC_MESSAGES/django.po"]
    needs_extension = {
        f"{path.relative_to(ROOT)}: {char!r}"
        for path in files
        if not path.name.endswith(".pdf.html")
        for char in set(path.read_text())
        if ord(char) in extension and ord(char) not in core
    }
    assert not needs_extension, sorted(needs_extension)
