"""The pages load the minified copies of the portal's JavaScript (static/vendor/js, made by
scripts/build_js.mjs): each copy is made from its source as it is now, and every source the
build names is one a template loads through its copy, never directly."""

import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
BUILD = ROOT / "scripts/build_js.mjs"


def _scripts():
    block = BUILD.read_text().split("const SCRIPTS = {", 1)[1].split("};", 1)[0]
    return dict(re.findall(r'"([^"]+)":\s*"([^"]+)"', block))


def test_every_copy_is_made_from_the_current_source():
    scripts = _scripts()
    assert "incidents/form.js" in scripts
    for source, copy in scripts.items():
        path = ROOT / "static/vendor/js" / copy
        if not path.exists():
            pytest.fail(f"{path} is missing: run sh scripts/build_static.sh (make setup does)")
        digest = hashlib.sha256((ROOT / "static" / source).read_bytes()).hexdigest()
        assert path.read_text().splitlines()[0] == f"/* {source} sha256 {digest} */", (
            f"static/vendor/js/{copy} is older than static/{source}: run sh scripts/build_static.sh"
        )


def test_templates_load_the_copies_not_the_sources():
    templates = "\n".join(path.read_text() for path in (ROOT / "templates").rglob("*.html"))
    for source, copy in _scripts().items():
        assert f"static '{source}'" not in templates, source
        assert f"static 'vendor/js/{copy}'" in templates, copy
